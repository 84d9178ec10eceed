# Every email. None carries health information or names: at most "there is
# an update, please sign in". Ids: email-<kind>-subject, -p1, -p2, -action.

email-hello = Hello,
email-copy-address = Or copy this address into your browser:
email-signature = Second Opinion — online second opinions for children.
email-signature-text = Second Opinion — online second opinions for children
email-emergency = Medical emergency? Call 911 or go to the nearest emergency room.
email-if-not-you = If this wasn't you, you can ignore this email. Questions? Call { -partner } at { -phone }, { -hours }.

email-verify-email-subject = Confirm your email address
email-verify-email-p1 = Thank you for creating a Second Opinion account. Please confirm that this is your email address.
email-verify-email-action = Confirm my email
email-verify-email-after = The link works for 48 hours.

email-account-exists-subject = You already have an account
email-account-exists-p1 = Someone (probably you) tried to create a Second Opinion account with this email address, which already has one.
email-account-exists-action = Reset my password
email-account-exists-after = If you remember your password, just sign in.

email-reset-password-subject = Reset your password
email-reset-password-p1 = We received a request to reset the password of your Second Opinion account.
email-reset-password-action = Choose a new password
email-reset-password-after = The link works for 30 minutes and only once.

email-password-changed-subject = Your password was changed
email-password-changed-p1 = The password of your Second Opinion account was just changed, and other sign-ins were ended.
email-password-changed-after = If you did not do this, reset your password now and call us: { -phone }, { -hours }.

email-staff-invite-subject = Your Second Opinion staff account
email-staff-invite-p1 = An administrator created a Second Opinion staff account for you. Choose a password to start.
email-staff-invite-action = Choose my password
email-staff-invite-after = The link works for 24 hours. If it has expired, use "Forgot your password?" on the sign-in page.

email-payment-received-subject = Payment received: your case is submitted
email-payment-received-p1 = Thank you. We received your payment and your case is submitted. A personal care coordinator will take it from here.
email-payment-received-p2 = Your receipt is on your case page. You can use it for your HSA or FSA.
email-payment-received-action = Sign in to see your case

email-case-update-subject = There is an update on your case
email-case-update-p1 = There is an update on your case. Sign in to read it.
email-case-update-action = Sign in to read it

email-case-assigned-subject = A case was sent to you for review
email-case-assigned-p1 = A second opinion case was sent to you for review. Sign in to see it and its due date.
email-case-assigned-action = Sign in to see your cases

email-additional-fee-subject = There is an update on your case
email-additional-fee-p1 = There is an update on your case: your care coordinator has asked about an additional review. Sign in to read it; nothing is charged unless you agree.
email-additional-fee-action = Sign in to read it

email-follow-up-escalated-subject = A clarifying question was passed to you
email-follow-up-escalated-p1 = The clinician passed a family's clarifying question about your opinion to you. Answering is not required; the family has been told an answer is not guaranteed. Sign in to see it.
email-follow-up-escalated-action = Sign in to see it

email-record-requested-subject = There is an update on your case
email-record-requested-p1 = There is an update on your case: your care coordinator asks for a record. Sign in to see what is needed.
email-record-requested-action = Sign in to see it

email-family-message-subject = A family sent a message
email-family-message-p1 = A family wrote to their care team about one of your cases. Sign in to read it and reply.
email-family-message-action = Sign in to read it

email-opinion-ready-subject = Your child's second opinion is ready
email-opinion-ready-p1 = Your child's second opinion is ready. Sign in to read it.
email-opinion-ready-p2 = A clinician will call you to go through it. You can ask up to 3 clarifying questions within 5 business days.
email-opinion-ready-action = Sign in to read it

email-guardian-invite-subject = You are invited to follow a child's second opinion
email-guardian-invite-p1 = A parent invited you to share their child's Second Opinion account with them, as the child's other parent or legal guardian. You would both see the child's cases, messages, opinion and receipts.
email-guardian-invite-p2 = To accept, sign in (or create an account) with this email address, and confirm that you are the child's parent or legal guardian.
email-guardian-invite-action = See the invitation
email-guardian-invite-after = The invitation works for 7 days.
