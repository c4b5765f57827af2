## Einstellungen

settings-heading = Einstellungen
settings-demo-auto = Demomodus: Noch ist nichts eingerichtet, daher ist die eingebaute Sandbox der Dienst. Speichern Sie hier die Einstellungen eines Dienstes (oder nutzen Sie „Konto verbinden“), und die App verlässt die Demo.
settings-demo-flag = Demomodus: Die eingebaute Sandbox ist der Dienst. Was Sie hier einstellen, gilt beim nächsten Start ohne --demo.
settings-some-managed = Einige Einstellungen werden von Ihrer Organisation verwaltet und können hier nicht geändert werden.
settings-saved-in = Gespeichert in { $path }
settings-default-service = Bevorzugter Dienst
settings-theme = Erscheinungsbild
theme-system = Wie der Desktop
theme-light = Hell
theme-dark = Dunkel
settings-language = Sprache
settings-language-system = Wie das System
settings-api-key = API-Schlüssel
settings-callback-port = Callback-Port{" "}
settings-register-callback = Diese Callback-URL registrieren: { $url }
settings-copy = Kopieren
settings-copy-joinme-callback = Die join.me-Callback-URL kopieren
settings-copy-joindin-callback = Die joind.in-Callback-URL kopieren
settings-server-address = Serveradresse
settings-allow-http = Server ohne https erlauben (das Passwort ginge unverschlüsselt durchs Netz)
settings-network = Netzwerk
settings-proxy = Proxy
settings-ca-file = Zusätzliche CA-Datei
settings-desktop = Desktop
settings-remind-me = Erinnern
settings-minutes-suffix = {" "}Min.
settings-before-each-meeting = vor jedem Meeting
settings-start-at-login = Bei der Anmeldung starten, verborgen im Infobereich
settings-save = Einstellungen speichern
settings-saved = Gespeichert. Die neuen Einstellungen gelten.
settings-managed = Von Ihrer Organisation verwaltet
settings-managed-hint = Durch eine Richtlinie festgelegt; `meeting-launcher status` listet sie auf.
settings-policies = Richtlinien
settings-policy-ignored = Ignoriert: { $problem }

## Client-Geheimnisse

settings-client-secret = Client-Geheimnis: { $status }
settings-secret-joinme-missing = nicht gesetzt. join.me-Anmeldungen nutzen den Implicit Grant, der Sie alle 24 Stunden abmeldet.
settings-secret-joinme-keychain = im Schlüsselbund gespeichert. join.me-Anmeldungen nutzen den Authorization Code Grant und bleiben bestehen.
settings-secret-joindin-missing = nicht gesetzt. Die Anmeldung bei joind.in mit Benutzername und Passwort braucht es.
settings-secret-keychain = im Schlüsselbund gespeichert.
settings-secret-policy = von Ihrer Organisation festgelegt.
settings-secret-services = die genutzten Dienste bringen ihr eigenes mit.
settings-secret-field = { $service }-Client-Geheimnis
settings-secret-replace = Ersetzen
settings-secret-replace-named = Das { $service }-Client-Geheimnis im Schlüsselbund ersetzen
settings-secret-save = Im Schlüsselbund speichern
settings-secret-save-named = Das { $service }-Client-Geheimnis im Schlüsselbund speichern
settings-secret-remove = Entfernen
settings-secret-remove-named = Das { $service }-Client-Geheimnis aus dem Schlüsselbund entfernen
settings-secret-saved = { $service }-Client-Geheimnis: Die Änderung ist im Schlüsselbund und gilt ab sofort.
settings-secret-failed = { $service }-Client-Geheimnis: { $error }

## Die MeetingBooster-Adresse, beim Tippen geprüft

settings-mb-not-an-address = „{ $address }“ ist keine Webadresse: Eine solche beginnt mit https:// (zum Beispiel https://meetings.example.com).
settings-mb-not-https = Diese Adresse ist nicht https: Das Passwort ginge unverschlüsselt durchs Netz. Nutzen Sie https, oder erlauben Sie es in den Einstellungen.
settings-mb-checking = Es wird geprüft, ob MeetingBooster dort antwortet…
settings-mb-answers = Unter { $host } antwortet ein MeetingBooster-Server.
settings-mb-no-answer = Dort antwortet kein MeetingBooster-Server. { $reason }
settings-mb-no-answer-yet = Es kam keine Antwort. Ändern Sie die Adresse, um erneut zu fragen.
