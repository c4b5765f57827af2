## The agenda (scheduler)

agenda-heading = Agenda
agenda-new-meeting = New meeting
agenda-reload = Reload
agenda-search-hint = Search ({ $shortcut })
agenda-search-tooltip = Search titles, participants and services
agenda-search-name = Search meetings
agenda-sign-in-first = Sign in to an account to see its meetings here.
agenda-never-updated = never
agenda-stale = { $service } ({ $user }): last updated { $since }. { $why }
agenda-deleting = Deleting { $title }…
agenda-undo = Undo
agenda-not-sent = Not sent yet
agenda-sending = sending…
agenda-retry = Retry
agenda-edit = Edit
agenda-discard = Discard
agenda-nothing-scheduled = Nothing scheduled.
agenda-no-match = No meeting matches “{ $query }”.

## An agenda row

agenda-all-day = all day
agenda-until = until { $date }
agenda-skipped-cancelled = cancelled
agenda-skipped-declined = declined
agenda-invited = { $count } invited
agenda-start = Start
agenda-start-named = Start “{ $title }”, { $when }
agenda-join = Join
agenda-join-named = Join “{ $title }”, { $when }
agenda-edit-named = Edit “{ $title }”, { $when }
agenda-delete = Delete
agenda-delete-named = Delete “{ $title }”, { $when }
agenda-copy-link = Copy link
agenda-copy-link-named = Copy the link of “{ $title }”, { $when }
agenda-attending = Attending
agenda-attending-named = Attending “{ $title }”, { $when }

## The meeting form

agenda-edit-meeting = Edit meeting
agenda-form-account = Account
agenda-form-title = Title
agenda-form-date = Date
agenda-form-starts = Starts
agenda-form-ends = Ends
agenda-form-hours = h
agenda-form-minutes = min
agenda-form-time-zone = Time zone
agenda-form-local-time = Your local time (UTC{ $offset })
agenda-form-participants = Participants
agenda-form-participants-hint = e-mail addresses, separated by commas
agenda-save = Save
agenda-cancel = Cancel

## Adding a calendar

agenda-calendar-heading = Add a calendar
agenda-calendar-intro = Google Calendar, Outlook, Fastmail and most others publish a private address of your calendar (iCalendar, ending in .ics). Its meetings join the agenda, read-only.
agenda-calendar-name = Name
agenda-calendar-address = Private address
agenda-calendar-email = Your e-mail in it (optional)
agenda-calendar-allow-http = Allow a plain http address (not encrypted)
agenda-calendar-add = Add calendar
agenda-calendar-kept = The address is kept in the system keychain; only its host is shown.

## A meeting's details

details-open-hint = Show the details
details-open-named = Show the details of “{ $title }”, { $when }
details-close = Close
details-close-named = Close the details of “{ $title }”
details-when = { $day }, { $start }–{ $end } ({ $zone })
details-when-day = { $day }, all day
details-when-days = { $first } to { $last }
details-location = Where: { $location }
details-link = Link: { $link }
details-copy-link-named = Copy the link of “{ $title }” from its details
details-start-named = Start “{ $title }” from its details
details-join-named = Join “{ $title }” from its details
details-edit-named = Edit “{ $title }” from its details
details-delete-named = Delete “{ $title }” from its details
details-copy-invitation = Copy invitation
details-copy-invitation-named = Copy the invitation to “{ $title }”
details-invitation-join = Join: { $link }
details-participants = { $count ->
    [one] One participant
   *[other] { $count } participants
}
details-participant-answer = { $person }: { $answer }
details-answer-accepted = accepted
details-answer-tentative = maybe
details-answer-declined = declined
details-answer-pending = no answer yet
details-description = About this meeting

## The meeting form's checks

form-title-missing = Give the meeting a title.
form-ends-before-start = The meeting ends before it starts.
form-not-an-email = "{ $address }" is not an e-mail address.
service-calendar = Calendar
