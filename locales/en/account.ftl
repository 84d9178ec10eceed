# The account, password and email-confirmation pages, and why a sign-in ended.

account-title = Your account
account-name = Name
account-email = Email address
account-not-confirmed = (not confirmed yet)
account-role = Role
account-role-family = Parent or guardian
account-timeouts = For your privacy you are signed out after { $minutes } minutes without activity, and after 12 hours in any case.
account-change-password = Change your password
account-emails = Choose which emails you get about your cases

password-change-intro = Changing your password signs you out on every other device.
password-current = Current password
password-new = New password
password-hint = At least 12 characters. A few unrelated words make a strong password.
password-change-submit = Change password
password-current-wrong = Your current password is not right.
password-changed = Your password has been changed. Any other sign-ins on other devices have been ended.

reset-title = Reset your password
reset-intro = Enter the email address of your account. If it has one, we will send a link to choose a new password.
reset-email = Email address
reset-submit = Send the link
reset-sent-title = Check your email
reset-sent = If an account exists for that address, we have sent a link to choose a new password. The link works for 30 minutes.
reset-back = Back to sign in
reset-new-title = Choose a new password
reset-new-submit = Save my new password

verify-title = Confirm your email address
verify-intro = Press the button to confirm that this email address is yours.
verify-submit = Confirm my email
verify-confirmed = Your email address is confirmed. You can now sign in.
verify-already = Your email address is already confirmed.
verify-too-many = We have sent several links in the last hour. Please check your inbox and spam folder.
verify-resent = We sent a new confirmation link. It works for 48 hours.

link-invalid-title = This link is invalid or has expired
link-invalid-confirmation = This confirmation link has already been used, has expired, or was copied incompletely.
link-invalid-reset = This password reset link has already been used, has expired, or was copied incompletely.
link-invalid-confirm-hint = To confirm your email, sign in and ask for a new link.
link-invalid-reset-hint-html = To reset your password, <a href="/password-reset">request a new reset link</a>.

signed-out-idle = You were signed out after a period without activity, to protect your information. Please sign in again.
signed-out-expired = You were signed out because you had been signed in for 12 hours. Please sign in again.
signed-out-ended = Your session ended. Please sign in again.
signed-out = You are signed out.
signed-out-password-reset = Your password has been changed. Sign in with your new password.
