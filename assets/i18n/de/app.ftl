## Die Seitenleiste

nav-agenda = Termine
nav-accounts = Konten
nav-presenters = Moderatoren
nav-events = joind.in-Veranstaltungen
nav-settings = Einstellungen
nav-help = Hilfe
nav-connect = Konto verbinden

## Die obere Leiste

top-demo = {" "}Demo{" "}
top-demo-hint = Demomodus: Die eingebaute Sandbox vertritt join.me, MeetingBooster und joind.in. Nichts wird gespeichert.
top-connect = Konto verbinden
top-start-now = Meeting jetzt starten
top-start-needs-joinme = Melden Sie sich bei join.me an, um Meetings zu starten
top-copy-viewer-link = Zuschauer-Link kopieren
top-viewers-join-at = Zuschauer treten über { $link } bei

## Die Karte „Als Nächstes“

next-none = Keine anstehenden Meetings
next-hint-start-or-schedule = Starten Sie ein Meeting über die obere Leiste, oder planen Sie eines.
next-hint-start = Starten Sie ein Meeting über die obere Leiste.
next-hint-schedule = Planen Sie ein Meeting, damit es hier erscheint.
next-hint-nothing = Meetings aus Ihren Konten und Kalendern erscheinen hier.
next-schedule = Meeting planen
next-now = Jetzt
next-up = Als Nächstes
next-start = Starten
next-join = Beitreten
next-start-named = „{ $title }“ starten
next-join-named = „{ $title }“ beitreten
next-no-link = In diesem Meeting wurde kein Link zum Beitreten gefunden.

## Die Willkommenskarte (Demo, erster Start)

welcome-heading = Willkommen bei Meeting Launcher
welcome-demo = Dies ist die Demo: Beispiel-Meetings auf einer eingebauten Sandbox, damit Sie alles ausprobieren können. Nichts wird gespeichert.
welcome-connect = Verbinden Sie Ihr eigenes Konto, wenn Sie so weit sind:
welcome-explore = Demo erkunden

## Konto verbinden

connect-heading = Konto verbinden
connect-demo-only = Dieses Fenster wurde mit --demo gestartet und zeigt nur die Demo. Starten Sie Meeting Launcher ohne --demo, um Ihr Konto zu verbinden.
connect-intro = Wählen Sie Ihren Dienst. Was Sie hier eingeben, kommt in Ihre Einstellungsdatei; Geheimnisse nur in den Schlüsselbund.
connect-provider = { $service } verbinden
connect-joinme-needs = join.me braucht den API-Schlüssel einer im Entwicklerprogramm von join.me registrierten App, für die die unten stehende Callback-URL registriert ist.
connect-joinme-key = join.me-API-Schlüssel
connect-mb-needs = MeetingBooster läuft auf dem eigenen Server Ihrer Organisation: Geben Sie seine Adresse ein (zum Beispiel https://meetings.example.com). Danach melden Sie sich mit Ihrem MeetingBooster-Benutzernamen und Passwort an.
connect-mb-server = MeetingBooster-Serveradresse
connect-joindin-needs = joind.in braucht den API-Schlüssel einer auf joind.in registrierten App (Seite „Apps“ in Ihrem Profil), für die die unten stehende Callback-URL registriert ist.
connect-joindin-key = joind.in-API-Schlüssel
connect-back-to-demo = Zurück zur Demo
connect-applying = Gespeichert. { $service } wird eingerichtet…
connect-done = { $service } ist eingerichtet. Die Demo ist beendet.
connect-sign-in = Bei { $service } anmelden
