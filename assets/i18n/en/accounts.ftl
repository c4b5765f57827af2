## The accounts (token status)

accounts-heading = Accounts
accounts-saved-in-keychain = Sign-ins are saved in the system keychain.
accounts-saved-in-memory = Sign-ins last until you quit: { $reason }.
accounts-none = No account yet. Add one below.
accounts-state = State
accounts-signed-in = Signed in
accounts-grant = Grant
accounts-grant-authorization-code = authorization code (PKCE), refreshable
accounts-grant-implicit = implicit (legacy): lasts 24 h, then sign in again
accounts-grant-password = password
accounts-grant-browser = browser authorization
accounts-grant-feed = private calendar address
accounts-scopes = Scopes
accounts-expires = Expires
accounts-expires-never = never (until you sign out)
accounts-expires-unused = not yet used in this session
accounts-secret-kept-in = Secret kept in
accounts-kept-in-keychain = the system keychain
accounts-kept-in-memory = memory only, until you quit ({ $reason })
accounts-last-refresh = Last refresh
accounts-meetings = Meetings
accounts-refresh-now = Refresh now
accounts-refresh-now-named = Refresh { $account } now
accounts-sign-out = Sign out
accounts-sign-out-named = Sign out of { $account }
accounts-advanced = Advanced
accounts-expire-access-explained = Expire access makes join.me treat the access token as expired, so the next call has to refresh it: a way to check that refreshing works. Your sign-in is kept.
accounts-expire-access = Expire access
accounts-expire-access-named = Expire access for { $account }
accounts-updated = updated { $time }
accounts-last-updated = last updated { $time } — { $why }
accounts-not-loaded = not loaded — { $why }
accounts-read-only = (read-only)
accounts-address = Address
accounts-yours = Yours
accounts-remove-calendar = Remove “{ $name }”
accounts-remove-calendar-hint = Remove the calendar and its saved address; the calendar itself is not touched

## Adding an account (sign-in)

accounts-add-heading = Add an account
accounts-none-allowed = Your organization allows no meeting service on this computer.
accounts-waiting-for-browser = Waiting for { $service } in your browser…
accounts-browser-failed = The browser did not open ({ $error }). Open the link yourself:
accounts-copy-link = Copy link
accounts-copy-sign-in-link = Copy the sign-in link
accounts-cancel = Cancel
accounts-try-again-in = You can try again in { $seconds } s.
accounts-joindin-with-password = Use my joind.in user name and password instead
accounts-email = E-mail
accounts-user-name = User name
accounts-password = Password
accounts-sign-in = Sign in
accounts-password-not-saved = The password is sent once and never saved.
accounts-sign-in-with-browser = Sign in with your browser
accounts-joinme-browser-note = Your browser opens join.me's page; the app never sees your password.

## joind.in events

accounts-events-heading = joind.in events
accounts-events-sign-in = Sign in to joind.in to see the events you attend and host.
accounts-attending = Attending
accounts-attending-named = Attending “{ $title }”
accounts-talks = Talks
accounts-talks-named = Talks of “{ $title }”
accounts-hide-talks = Hide talks
accounts-hide-talks-named = Hide the talks of “{ $title }”
accounts-no-talks = No talks listed yet.
accounts-talk = { $time }  { $title } ({ $minutes } min) — { $speakers }

## join.me presenters

accounts-presenters-heading = Presenters
accounts-presenters-sign-in = Sign in to join.me to manage presenters.
accounts-presenters-account = Account
accounts-loading = Loading…
accounts-load-again = Load again
accounts-needs-business-plan = Presenters are part of join.me's Business plan. This account's plan (or the app's API key) does not include them.
accounts-invite-by-email = Invite by e-mail
accounts-invite = Invite
accounts-not-an-email = That is not an e-mail address.
accounts-invitation-accepted = invitation accepted
accounts-invitation-pending = invitation pending
accounts-seat-assigned = seat assigned
accounts-no-seat = no seat
accounts-really-remove = Really remove { $email }?
accounts-keep = Keep
accounts-remove = Remove
accounts-remove-named = Remove { $email }
