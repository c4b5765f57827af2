## Settings

settings-heading = Settings
settings-demo-auto = Demo mode: nothing is set up yet, so the services are the built-in sandbox. Save a service's settings here (or use Connect your account) and the app leaves the demo for it.
settings-demo-flag = Demo mode: the services are the built-in sandbox. What you set here applies the next time the app starts without --demo.
settings-some-managed = Some settings are managed by your organization and cannot be changed here.
settings-saved-in = Saved in { $path }
settings-default-service = Service offered first
settings-theme = Theme
theme-system = As the desktop
theme-light = Light
theme-dark = Dark
settings-language = Language
settings-language-system = As the system
settings-api-key = API key
settings-callback-port = Callback port{" "}
settings-register-callback = Register this callback URL: { $url }
settings-copy = Copy
settings-copy-joinme-callback = Copy the join.me callback URL
settings-copy-joindin-callback = Copy the joind.in callback URL
settings-server-address = Server address
settings-allow-http = Allow a server without https (the password would cross the network in the clear)
settings-network = Network
settings-proxy = Proxy
settings-ca-file = Extra CA file
settings-desktop = Desktop
settings-remind-me = Remind me
settings-minutes-suffix = {" "}min
settings-before-each-meeting = before each meeting
settings-start-at-login = Start at login, hidden in the tray
settings-save = Save settings
settings-saved = Saved. The new settings are in use.
settings-managed = Managed by your organization
settings-managed-hint = Set by a managed policy; `meeting-launcher status` lists them.
settings-policies = Policies
settings-policy-ignored = Ignored: { $problem }

## Client secrets

settings-client-secret = Client secret: { $status }
settings-secret-joinme-missing = not set. join.me sign-ins use the implicit grant, which signs you out every 24 hours.
settings-secret-joinme-keychain = saved in the keychain. join.me sign-ins use the authorization code grant and stay signed in.
settings-secret-joindin-missing = not set. Signing in to joind.in with a user name and password needs it.
settings-secret-keychain = saved in the keychain.
settings-secret-policy = set by your organization.
settings-secret-services = the services in use bring their own.
settings-secret-field = { $service } client secret
settings-secret-replace = Replace
settings-secret-replace-named = Replace the { $service } client secret in the keychain
settings-secret-save = Save in the keychain
settings-secret-save-named = Save the { $service } client secret in the keychain
settings-secret-remove = Remove
settings-secret-remove-named = Remove the { $service } client secret from the keychain
settings-secret-saved = { $service } client secret: the keychain has the change, in force now.
settings-secret-failed = { $service } client secret: { $error }

## The MeetingBooster address, checked as it is typed

settings-mb-not-an-address = “{ $address }” is not a web address: one starts with https:// (for example https://meetings.example.com).
settings-mb-not-https = This address is not https: the password would cross the network in the clear. Use https, or allow it in Settings.
settings-mb-checking = Checking whether MeetingBooster answers there…
settings-mb-answers = A MeetingBooster server answers at { $host }.
settings-mb-no-answer = No MeetingBooster server answers there. { $reason }
settings-mb-no-answer-yet = No answer came back. Edit the address to ask again.
