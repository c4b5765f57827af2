## Meldungen oben im Fenster

window-banner-sign-in-again = Erneut anmelden
window-banner-retry = Erneut versuchen
window-banner-open-settings = Einstellungen öffnen
window-banner-dismiss = Schließen
window-banner-dismiss-hint = Diese Meldung ausblenden
window-policy-ignored = Eine Richtlinie Ihrer Organisation wurde ignoriert: { $problem }
window-draft-not-saved = Das Meeting wurde nicht gespeichert: { $error } Es bleibt unter „Noch nicht gesendet“ erhalten.
window-action-failed = { $action } fehlgeschlagen. { $error }
# Steht für den Titel eines Meetings, das gelöscht wird und das die Termine nicht mehr zeigen.
window-the-meeting = das Meeting
# Die Namen der GNOME-Erweiterung und der Aktion des Starters (die .desktop-Datei ist nicht übersetzt) bleiben englisch.
window-no-tray = Es wurde kein Infobereich (System Tray) gefunden, daher beendet das Schließen des Fensters die App. Unter GNOME fügt die Erweiterung „AppIndicator and KStatusNotifierItem Support“ einen hinzu; `meeting-launcher start` und die Aktion „Start meeting now“ des Starters funktionieren auch ohne ihn.

## Die Meldung einer Erinnerung, wenn die Benachrichtigung des Desktops ihre Schaltflächen nicht anbieten konnte

window-reminder-soon = Beginnt bald: { $title } um { $time }.
window-reminder-not-shown = (Der Desktop hat diese Erinnerung nicht angezeigt: { $why }. Führen Sie `meeting-launcher doctor` aus, um den Grund zu erfahren.)
window-reminder-start-now = Jetzt starten
window-reminder-join-now = Jetzt beitreten
window-reminder-start-named = „{ $title }“ aus der Erinnerung starten
window-reminder-join-named = „{ $title }“ aus der Erinnerung beitreten
window-reminder-snooze = { $minutes } Min. später erinnern
window-reminder-snooze-named = An „{ $title }“ { $minutes } Min. später erinnern

## Tastenkürzel (die Liste auf der Hilfe-Seite und die Tooltips der Schaltflächen)

window-shortcut-new-meeting = Neues Meeting
window-shortcut-join-next = Dem nächsten Meeting beitreten oder es starten
window-shortcut-search = Termine durchsuchen
window-shortcut-reload = Termine neu laden
window-shortcut-settings = Einstellungen
window-shortcut-close-form = Meeting-Formular schließen
