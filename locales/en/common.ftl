# The layout, navigation and the names of things every family page uses.

brand = Second Opinion
brand-for-children = for children
skip-link = Skip to main content
test-mode-label = Test mode
test-mode-banner = TEST MODE — no real payment. Card payments on this server are simulated.
nav-label = Main
nav-home = Home
nav-sign-in = Sign in
nav-register = Create an account
nav-family = Children and cases
nav-account = Account
sign-out = Sign out
signed-in-as-html = Signed in as <bdi>{ $name }</bdi>
not-done = Not done:
footer-emergency-html = <strong>Medical emergency?</strong> Do not use this service. Call 911 or go to the nearest emergency room.
footer-help-html = Help with your case from { -partner }: <a href="{ -phone-tel }">{ -phone }</a> (domestic) or <a href="{ -phone-intl-tel }">{ -phone-intl }</a> (international), { -hours }.
language-en = English
language-es = Spanish
back-to-case = Back to the case
back-to-case-number = Back to case { $number }
back-to-dashboard = Back to your dashboard
case-number = Case { $number }
case-and-child = Case { $number } · { $child }
there-is-a-problem = There is a problem
error-prefix = Error:
save = Save

# Error pages.
error-not-found-title = Page not found
error-not-found = We couldn't find that page. If you followed a link, it may be out of date.
error-csrf-title = Your form expired
error-csrf = Your form expired or came from another site. Please go back, reload the page and try again.
error-bad-request-title = Something in that request wasn't right
error-bad-request = Please go back and try again.
error-conflict-title = That can't be done now
error-unsupported-title = Unsupported form
error-unsupported = That form could not be read. Please use the page's own form.
error-too-large-title = Too much data
error-too-large = That was more than this form accepts.
error-unavailable-title = Temporarily unavailable
error-unavailable = We are very busy for a moment. Nothing was changed. Please try again in a minute.
error-internal-title = Something went wrong on our side
error-internal = Nothing was changed. Please try again; if it keeps happening, call us and quote the reference below.
error-reference = Reference:
error-home-signed-in = Go to your home page
error-home = Go to the home page

# Confirmation pages.
confirm-still-open = Still open
confirm-what-happens = What will happen
confirm-go-back = Go back without changing anything

# A case's state.
status-draft = Draft
status-submitted = Submitted
status-collecting-records = Collecting records
status-ready-for-review = Records complete
status-in-review = With the specialist
status-opinion-delivered = Opinion ready
status-closed = Closed
status-cancelled = Cancelled

sex-female = Female
sex-male = Male
sex-intersex = Intersex
sex-not-stated = Prefer not to say

relationship-parent = Parent
relationship-legal-guardian = Legal guardian
relationship-legal-representative = Other legal representative

record-not-requested = Not requested yet
record-requested = Requested, waiting for the clinic
record-received = Received
record-digitized = Received and digitized
record-unavailable = Unavailable

fee-kind-imaging = Imaging re-review
fee-kind-pathology = Pathology re-review
fee-status-requested = Waiting for your decision
fee-status-paid = Paid
fee-status-declined = Declined
fee-status-waived = Waived: nothing to pay
fee-status-withdrawn = Withdrawn: the case was cancelled
fee-date-effect = { $days ->
    [0] The opinion's date does not change.
    [one] The opinion will be due 1 business day later.
   *[other] The opinion will be due { $days } business days later.
}

referral-requested = Requested: the clinician will contact you.
referral-visit-arranged = A visit with the expert has been arranged.
referral-sent = The referral has been sent.
referral-not-needed = Closed: not needed.

outcome-agrees = The specialist agrees with your child's diagnosis and treatment plan.
outcome-agrees-diagnosis = The specialist agrees with the diagnosis, and recommends different or additional treatment.
outcome-different-diagnosis = The specialist has a different diagnosis, and recommends a different course of treatment.

email-updates-every-step = At every step: when the case is taken, records arrive, it goes to the specialist, and so on
email-updates-essential = Only when I need to do something or something is ready for me (a message, a fee to decide on, the opinion, an answer, a call)

purpose-case-fee = Case fee
purpose-additional-fee = Additional review fee
refund-requested = Refund in progress
refund-succeeded = Refunded
refund-failed = Refund failed: the care team will contact you

# Free text refused (the label names the field: "The diagnosis").
text-too-long = { $label } can be at most { $max } characters.
text-bad-character = { $label } contains a character we can't accept.

# Forms everywhere.
error-summary-title = There is a problem
field-email = Email address
field-password = Password

# Registration and sign-in (family-facing).
register-title = Create an account
register-intro = Create an account for your family. You can then add your child and open a case.
register-full-name = Full name
register-full-name-hint = Your own name, as the parent or guardian.
register-email-hint = We will send a link to confirm it. Emails never contain medical details.
register-password-hint = At least 12 characters. A few unrelated words make a strong password that is easy to remember.
register-submit = Create account
register-have-account = Already have an account?
login-forgot = Forgot your password?
login-new-here-html = New here? <a href="/register">Create an account</a> to request a second opinion for your child.
check-email-title = Check your email
check-email-sent = We sent a link to the address you gave. Open it to confirm your email address, then sign in.
check-email-none = No email after a few minutes? Check your spam folder. If you already had an account, the email explains how to sign in.
check-email-go = Go to sign in
