## Das Menü im Infobereich

tray-start-now = Meeting jetzt starten
tray-now = Jetzt: { $title } · endet { $end }
tray-next = Als Nächstes: { $title } · { $when }
tray-start-named = „{ $title }“ starten
tray-join-named = „{ $title }“ beitreten
tray-no-upcoming = Keine anstehenden Meetings
# Wann Meetings, die über einen Ausfall hinweg behalten wurden, zuletzt geladen wurden, und warum seitdem nicht.
tray-stale = { $provider }: zuletzt aktualisiert { $since } — { $why }
tray-never = nie
tray-copy-viewer-link = Zuschauer-Link kopieren
tray-open = Meeting Launcher öffnen
tray-account-sign-in-again = { $provider }: { $user } — bitte erneut anmelden
tray-not-signed-in = Nicht angemeldet
tray-sign-in = Anmelden…
tray-quit = Beenden

## Der Tooltip des Symbols und die Zeile daneben

tray-title-running = { $title } · endet { $end }
tray-tooltip-both = { $app }: jetzt { $now }, endet { $end } · danach { $next } { $when }
tray-tooltip-no-upcoming = { $app }: keine anstehenden Meetings

## Die Desktop-Benachrichtigung einer Erinnerung (ihr Titel ist der des Meetings)

tray-reminder-body = { $provider } · beginnt um { $time } ({ $when })
tray-reminder-start = Starten
tray-reminder-join = Beitreten
tray-reminder-snooze = { $minutes } Min. später erinnern
