## Banners across the top of the window

window-banner-sign-in-again = Sign in again
window-banner-retry = Retry
window-banner-open-settings = Open settings
window-banner-dismiss = Dismiss
window-banner-dismiss-hint = Hide this message
window-policy-ignored = A policy of your organization was ignored: { $problem }
window-draft-not-saved = The meeting was not saved: { $error } It is kept under Not sent yet.
window-action-failed = { $action } failed. { $error }
# Stands in for the title of a meeting being deleted that the agenda no longer shows.
window-the-meeting = the meeting
window-no-tray = No system tray was found, so closing the window quits. On GNOME, the "AppIndicator and KStatusNotifierItem Support" extension adds one; `meeting-launcher start` and the launcher's "Start meeting now" action work without it.

## A reminder's banner, when the desktop's notification could not offer its buttons

window-reminder-soon = Starting soon: { $title } at { $time }.
window-reminder-not-shown = (The desktop did not show this reminder: { $why }. Run `meeting-launcher doctor` to see why.)
window-reminder-start-now = Start now
window-reminder-join-now = Join now
window-reminder-start-named = Start “{ $title }” from its reminder
window-reminder-join-named = Join “{ $title }” from its reminder
window-reminder-snooze = Snooze { $minutes } min
window-reminder-snooze-named = Snooze the reminder for “{ $title }” { $minutes } min

## Keyboard shortcuts (the Help page's list and the buttons' tooltips)

window-shortcut-new-meeting = New meeting
window-shortcut-join-next = Join or start the next meeting
window-shortcut-search = Search the agenda
window-shortcut-reload = Reload the agenda
window-shortcut-settings = Settings
window-shortcut-close-form = Close the meeting form
