# Messages with the care team, who has seen the case, and email choices.

messages-title = Messages
messages-heading = Messages with your care team
messages-intro-html = Your personal care coordinator and staff doctor from { -partner } read these messages and answer, usually within one business day. <strong>Not for emergencies:</strong> call 911.
messages-write = Write to your care team
messages-label = Your message
messages-label-in-error = A message
messages-hint = Up to 4,000 characters. We email you when they answer; the email never contains the message.
messages-attach = Attach a file (optional)
messages-attach-hint = A PDF, JPEG or PNG of up to 25 MB, such as a new report. Your coordinator can add it to the records.
messages-send = Send
messages-draft = Once you submit the case, you can write to your care team here.
messages-finished = This case is finished, so it takes no new messages.
messages-call-html = To reach { -partner }, call <a href="{ -phone-tel }">{ -phone }</a>, { -hours }.
messages-empty = Write a message, or attach a file.
messages-file-not-attached = The file was not attached. { $reason }
messages-sent = Your message was sent. Your care team usually answers within one business day.
thread-empty = No messages yet.
thread-label = Messages, oldest first
thread-attached = Attached:
thread-filed = filed with the records
thread-role-family = family
thread-role-coordinator = care coordinator
thread-role-clinician = staff doctor
thread-role-specialist = specialist
thread-role-admin = administrator

seen-title = Who has seen the case
seen-intro = Each time someone at { -partner } opened your child's case, its records, your messages or the opinion, it is written down. This is that list, newest first.
seen-none = No one on the care team has opened the case yet.
seen-break-glass = (opened in an emergency, with a reason the program reviews)
seen-more-html = Only the newest { $count } are shown. For the full list, call { -partner } at <a href="{ -phone-tel }">{ -phone }</a>.
seen-unexpected-html = If you see a name you don't expect, call { -partner } at <a href="{ -phone-tel }">{ -phone }</a>, { -hours }.
seen-role-coordinator = Care coordinator
seen-role-clinician = Staff doctor
seen-role-specialist = Specialist
seen-role-admin = Program administrator
seen-role-family = Family
seen-what-case = The case
seen-what-child = Your child's name and date of birth
seen-what-document = A medical record
seen-what-attachment = A file you sent
seen-what-messages = Your messages
seen-what-release = A records release letter
seen-what-preview = The opinion, before it was signed
seen-what-opinion = The signed opinion

emails-title = Emails about your cases
emails-back = Back to your account
emails-intro = Our emails never say anything about your child's health: only that there is an update, with a link to sign in and read it. You can always see everything on your case page.
emails-legend = Email me
emails-always = Emails to confirm your address or about your password, and payment receipts, always come.
emails-choose = Choose which emails you want.
emails-saved = Your email choice is saved.
