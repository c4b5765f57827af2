#!/usr/bin/env bash
# Walks every sign-in flow of a running `meeting-launcher sandbox --auto-approve` with curl alone, the way the
# issue's acceptance asks: join.me code and implicit flows, MeetingBooster password/refresh/signout, joind.in
# oauth_allow and password grant. Usage: sandbox-curl-flows.sh '<the JSON line the sandbox printed>'
# Prints one line per step and "N passed, 0 failed" at the end; exits non-zero at the first failure.
set -euo pipefail
config=$1
get() { jq -er "$1" <<<"$config"; }
passed=0
step() { passed=$((passed + 1)); echo "ok: $1"; }
fail() { echo "FAILED: $1" >&2; echo "$passed passed, 1 failed"; exit 1; }
# Reads the query or fragment parameter $2 from URL $1.
param() { python3 -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); q=dict(u.parse_qsl(p.query or p.fragment)); print(q.get(sys.argv[2],""))' "$1" "$2"; }

auth=$(get .joinme.auth_base); api=$(get .joinme.api_base)
client=$(get .joinme.client_id); secret=$(get .joinme.client_secret); redirect=$(get .joinme.redirect_uri)

# join.me authorization code grant: authorize -> code in the query -> token -> /user
location=$(curl -sS -o /dev/null -w '%{redirect_url}' -G "$auth/oauth2" \
  --data-urlencode response_type=code --data-urlencode "client_id=$client" \
  --data-urlencode "scope=user_info scheduler start_meeting" --data-urlencode "redirect_uri=$redirect" \
  --data-urlencode state=s-code-1)
code=$(param "$location" code)
[ -n "$code" ] && [ "$(param "$location" state)" = s-code-1 ] || fail "join.me authorize did not redirect with a code and the state"
step "join.me authorize redirected with a code"
tokens=$(curl -sS -f "$auth/token" -d grant_type=authorization_code --data-urlencode "code=$code" \
  --data-urlencode "client_id=$client" --data-urlencode "client_secret=$secret" --data-urlencode "redirect_uri=$redirect")
access=$(jq -er .access_token <<<"$tokens") && refresh=$(jq -er .refresh_token <<<"$tokens") || fail "join.me token exchange"
step "join.me code exchanged for an access and a refresh token"
email=$(curl -sS -f -H "Authorization: Bearer $access" -H 'Content-Type: application/json' "$api/user" | jq -er .email) \
  || fail "join.me /user"
step "join.me /user answered for $email"
new=$(curl -sS -f "$auth/token" -d grant_type=refresh_token --data-urlencode "refresh_token=$refresh" \
  --data-urlencode "client_id=$client" --data-urlencode "client_secret=$secret" | jq -er .access_token) || fail "join.me refresh"
step "join.me refresh token exchanged"

# join.me implicit grant: the token comes back in the fragment; tokenInfo confirms whose it is.
implicit=$(get .joinme.implicit_client_id)
location=$(curl -sS -o /dev/null -w '%{redirect_url}' -G "$auth/oauth2" \
  --data-urlencode response_type=token --data-urlencode "client_id=$implicit" \
  --data-urlencode "scope=user_info" --data-urlencode "redirect_uri=$redirect" --data-urlencode state=s-implicit-1)
case "$location" in *'#'*) ;; *) fail "join.me implicit token not in the fragment: $location" ;; esac
token=$(param "$location" access_token)
[ -n "$token" ] && [ "$(param "$location" state)" = s-implicit-1 ] || fail "join.me implicit redirect"
step "join.me implicit token arrived in the fragment"
owner=$(curl -sS -f -G "$auth/tokenInfo" --data-urlencode "access_token=$token" | jq -er .client_id) || fail "tokenInfo"
[ "$owner" = "$implicit" ] || fail "tokenInfo names $owner"
step "join.me tokenInfo confirmed the token is ours"

# MeetingBooster: password, refresh, signout.
server=$(get .meetingbooster.server)
tokens=$(curl -sS -f "$server/oauth" -d grant_type=password -d app_id=Api \
  --data-urlencode "username=$(get .meetingbooster.username)" --data-urlencode "password=$(get .meetingbooster.password)")
refresh=$(jq -er .refresh_token <<<"$tokens") && access=$(jq -er .access_token <<<"$tokens") || fail "MeetingBooster password grant"
jq -e '.expires_in | type == "string"' <<<"$tokens" >/dev/null || fail "expires_in should be a string"
step "MeetingBooster password grant"
curl -sS -f -o /dev/null -H "Authorization: Bearer $access" "$server/api/v1/mymeetings/sync" || fail "MeetingBooster sync"
step "MeetingBooster sync with the access token"
tokens=$(curl -sS -f "$server/oauth" -d grant_type=refresh_token -d app_id=Api --data-urlencode "refresh_token=$refresh")
rotated=$(jq -er .refresh_token <<<"$tokens") || fail "MeetingBooster refresh"
[ "$rotated" != "$refresh" ] || fail "MeetingBooster refresh did not rotate"
step "MeetingBooster refresh rotated the refresh token"
curl -sS -f -o /dev/null "$server/oauth" -d grant_type=signout --data-urlencode "refresh_token=$rotated" || fail "signout"
status=$(curl -sS -o /dev/null -w '%{http_code}' "$server/oauth" -d grant_type=refresh_token -d app_id=Api --data-urlencode "refresh_token=$rotated")
[ "$status" = 400 ] || fail "a signed-out refresh token still works ($status)"
step "MeetingBooster signout killed the tokens"

# joind.in: oauth_allow (token and state in the callback's query), then the password grant.
web=$(get .joindin.web_base); japi=$(get .joindin.api_base)
location=$(curl -sS -o /dev/null -w '%{redirect_url}' -G "$web/user/oauth_allow" \
  --data-urlencode "api_key=$(get .joindin.api_key)" --data-urlencode "callback=$(get .joindin.callback)" --data-urlencode state=s-jd-1)
token=$(param "$location" access_token)
[ -n "$token" ] && [ "$(param "$location" state)" = s-jd-1 ] || fail "joind.in oauth_allow redirect: $location"
step "joind.in oauth_allow redirected with a token"
curl -sS -f -H "Authorization: Bearer $token" "$japi/v2.1/events?filter=upcoming" | jq -e '.meta.user_uri' >/dev/null \
  || fail "joind.in did not recognise the oauth_allow token"
step "joind.in recognised the token (meta.user_uri)"
body=$(jq -cn --arg u "$(get .joindin.username)" --arg p "$(get .joindin.password)" --arg c "$(get .joindin.client_id)" \
  --arg s "$(get .joindin.client_secret)" '{grant_type:"password",username:$u,password:$p,client_id:$c,client_secret:$s}')
jd=$(curl -sS -f -H 'Content-Type: application/json' -d "$body" "$japi/v2.1/token")
jq -e '.access_token and .user_uri' <<<"$jd" >/dev/null || fail "joind.in password grant"
step "joind.in password grant"

echo "$passed passed, 0 failed"
