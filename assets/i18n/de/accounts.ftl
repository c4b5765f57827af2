## Die Konten (Token-Status)

accounts-heading = Konten
accounts-saved-in-keychain = Anmeldungen werden im Schlüsselbund des Systems gespeichert.
accounts-saved-in-memory = Anmeldungen gelten nur bis zum Beenden: { $reason }.
accounts-none = Noch kein Konto. Fügen Sie unten eines hinzu.
accounts-state = Status
accounts-signed-in = Angemeldet
accounts-grant = Autorisierung
accounts-grant-authorization-code = Autorisierungscode (PKCE), erneuerbar
accounts-grant-implicit = implizit (veraltet): gilt 24 h, dann erneut anmelden
accounts-grant-password = Passwort
accounts-grant-browser = Autorisierung im Browser
accounts-grant-feed = private Kalenderadresse
accounts-scopes = Bereiche
accounts-expires = Läuft ab
accounts-expires-never = nie (bis Sie sich abmelden)
accounts-expires-unused = in dieser Sitzung noch nicht verwendet
accounts-secret-kept-in = Zugangsdaten gespeichert in
accounts-kept-in-keychain = Schlüsselbund des Systems
accounts-kept-in-memory = nur im Arbeitsspeicher, bis zum Beenden ({ $reason })
accounts-last-refresh = Letzte Aktualisierung
accounts-meetings = Meetings
accounts-refresh-now = Jetzt aktualisieren
accounts-refresh-now-named = { $account } jetzt aktualisieren
accounts-sign-out = Abmelden
accounts-sign-out-named = Von { $account } abmelden
accounts-advanced = Erweitert
accounts-expire-access-explained = „Zugriff ablaufen lassen“ lässt join.me das Zugriffstoken als abgelaufen behandeln, sodass der nächste Aufruf es aktualisieren muss: So lässt sich prüfen, ob das Aktualisieren funktioniert. Ihre Anmeldung bleibt erhalten.
accounts-expire-access = Zugriff ablaufen lassen
accounts-expire-access-named = Zugriff für { $account } ablaufen lassen
accounts-updated = aktualisiert { $time }
accounts-last-updated = zuletzt aktualisiert { $time } — { $why }
accounts-not-loaded = nicht geladen — { $why }
accounts-read-only = (schreibgeschützt)
accounts-address = Adresse
accounts-yours = Ihre Adressen
accounts-remove-calendar = „{ $name }“ entfernen
accounts-remove-calendar-hint = Entfernt den Kalender und seine gespeicherte Adresse; der Kalender selbst bleibt unverändert

## Ein Konto hinzufügen (Anmeldung)

accounts-add-heading = Konto hinzufügen
accounts-none-allowed = Ihre Organisation erlaubt auf diesem Computer keinen Meeting-Dienst.
accounts-waiting-for-browser = Warten auf { $service } in Ihrem Browser…
accounts-browser-failed = Der Browser wurde nicht geöffnet ({ $error }). Öffnen Sie den Link selbst:
accounts-copy-link = Link kopieren
accounts-copy-sign-in-link = Anmeldelink kopieren
accounts-cancel = Abbrechen
accounts-try-again-in = Sie können es in { $seconds } s erneut versuchen.
accounts-joindin-with-password = Stattdessen meinen joind.in-Benutzernamen und mein Passwort verwenden
accounts-email = E-Mail
accounts-user-name = Benutzername
accounts-password = Passwort
accounts-sign-in = Anmelden
accounts-password-not-saved = Das Passwort wird einmal gesendet und nie gespeichert.
accounts-sign-in-with-browser = Im Browser anmelden
accounts-joinme-browser-note = Ihr Browser öffnet die Seite von join.me; die App sieht Ihr Passwort nie.

## joind.in-Veranstaltungen

accounts-events-heading = joind.in-Veranstaltungen
accounts-events-sign-in = Melden Sie sich bei joind.in an, um die Veranstaltungen zu sehen, die Sie besuchen und ausrichten.
accounts-attending = Teilnahme
accounts-attending-named = Teilnahme an „{ $title }“
accounts-talks = Vorträge
accounts-talks-named = Vorträge von „{ $title }“
accounts-hide-talks = Vorträge ausblenden
accounts-hide-talks-named = Vorträge von „{ $title }“ ausblenden
accounts-no-talks = Noch keine Vorträge eingetragen.
accounts-talk = { $time }  { $title } ({ $minutes } Min.) — { $speakers }

## join.me-Moderatoren

accounts-presenters-heading = Moderatoren
accounts-presenters-sign-in = Melden Sie sich bei join.me an, um Moderatoren zu verwalten.
accounts-presenters-account = Konto
accounts-loading = Wird geladen…
accounts-load-again = Erneut laden
accounts-needs-business-plan = Moderatoren sind Teil des Business-Tarifs von join.me. Der Tarif dieses Kontos (oder der API-Schlüssel der App) umfasst sie nicht.
accounts-invite-by-email = Per E-Mail einladen
accounts-invite = Einladen
accounts-not-an-email = Das ist keine E-Mail-Adresse.
accounts-invitation-accepted = Einladung angenommen
accounts-invitation-pending = Einladung ausstehend
accounts-seat-assigned = Platz zugewiesen
accounts-no-seat = kein Platz
accounts-really-remove = { $email } wirklich entfernen?
accounts-keep = Behalten
accounts-remove = Entfernen
accounts-remove-named = { $email } entfernen
