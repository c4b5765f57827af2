## The tray menu

tray-start-now = Start meeting now
tray-now = Now: { $title } · ends { $end }
tray-next = Next: { $title } · { $when }
tray-start-named = Start “{ $title }”
tray-join-named = Join “{ $title }”
tray-no-upcoming = No upcoming meetings
# When meetings kept through an outage were last loaded, and why not since.
tray-stale = { $provider }: last updated { $since } — { $why }
tray-never = never
tray-copy-viewer-link = Copy viewer link
tray-open = Open Meeting Launcher
tray-account-sign-in-again = { $provider }: { $user } — sign in again
tray-not-signed-in = Not signed in
tray-sign-in = Sign in…
tray-quit = Quit

## The tray icon's tooltip and the line beside it

tray-title-running = { $title } · ends { $end }
tray-tooltip-both = { $app }: now { $now }, ends { $end } · next { $next } { $when }
tray-tooltip-no-upcoming = { $app }: no upcoming meetings

## A reminder's desktop notification (its title is the meeting's)

tray-reminder-body = { $provider } · starts at { $time } ({ $when })
tray-reminder-start = Start
tray-reminder-join = Join
tray-reminder-snooze = Snooze { $minutes } min
