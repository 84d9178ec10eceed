# The case page: what happens next, the care team, fees, after the opinion,
# records, questions, payments, the timeline and cancelling.

case-follow-on-to = Follow-on to case { $number }.
case-next = What happens next
case-continue = Continue the case
case-questions = Your questions
case-questions-cancelled = This case was cancelled, so its questions and records stay as they were.
case-questions-frozen = Questions and records can't be changed once the specialist's review has started.
case-questions-change = Change questions
case-new-info = New information?
case-new-info-text = Records and questions can't be added once the review has started. If something new comes up, you can open and pay for a new case. We will ask for the same specialist, but we can't guarantee they will be available.
case-new-info-open = Open a new case with the new information
case-payments = Payments
case-payment-line = { $purpose }: { $amount }, paid { $when }
case-payment-refunded = refunded { $when }
case-receipt = Receipt
case-timeline = Timeline

team-title = Your care team
team-not-yet = When your case is taken, a personal care coordinator and a staff doctor from { -partner } are assigned to it. They will be your points of contact.
team-coordinator = Your personal care coordinator
team-clinician = Your staff doctor
team-being-assigned = Being assigned
team-what-they-do = They handle the logistics, collect the records, answer your questions and call you after the opinion.
team-specialist = The specialist reviewing the case
team-reach-html = To reach them, <a href="/family/cases/{ $case }/messages">write to your care team</a>, or call { -partner } at <a href="{ -phone-tel }">{ -phone }</a> (international <a href="{ -phone-intl-tel }">{ -phone-intl }</a>), { -hours }.
team-messages-link = { $unread ->
    [0] Messages with your care team
    [one] Messages with your care team (1 new)
   *[other] Messages with your care team ({ $unread } new)
}
team-seen-link = Who has seen your child's case

fees-title = Additional reviews
fees-why = Why:
fees-optional = The specialist suggests another review. It is optional; nothing is charged unless you pay.
fees-pay = Pay { $amount }
fees-decline = Decline the additional review

after-title = After the opinion
after-read = Read, print or share the second opinion
after-call = Your follow-up call
after-call-waiting = Not scheduled yet. The staff doctor will contact you to arrange it.
after-call-scheduled = Scheduled for { $when }.
after-call-done = Done: the staff doctor called you on { $when }.
after-follow-ups = Clarifying questions
after-follow-ups-none = None asked.
after-about-question = About question { $number }:
after-specialist-answered = The specialist answered:
after-clinician-answered = The staff doctor answered:
after-escalated = Passed to the specialist; an answer from the specialist is not guaranteed.
after-waiting = Waiting for an answer.
after-referral = Visit or referral

records-progress = Records: { $done } of { $total } complete
records-checklist = Record checklist
records-where = Where
records-what = What
records-status = Status
records-release = Release
records-translation-needed = ({ $language }: an English translation is needed)
records-signed = Signed { $when }
records-not-signed = Not signed
records-sign = Sign the release
records-add = Add a record location

needs-title = What we need from you
needs-from = From { $facility }:
needs-asked = (asked { $when })
needs-translation = The records from { $facility } are in { $language }. Medical records must be submitted in English: please arrange for them to be translated by a qualified medical translator of your choice, or contact { -translation-service } for assistance. Your family arranges and pays for the translation; it is not part of the case fee. Send us the translation with the original.
needs-help-html = Not sure how to send them? Your care coordinator can help: call <a href="{ -phone-tel }">{ -phone }</a>.

next-declined = Payment declined — try another card.
next-declined-link = Pay with another card
next-ready-html = Everything is ready. <a href="/family/cases/{ $case }/review">Review and pay</a> to submit the case.
next-still-to-do = Still to do before you can submit:
next-missing-diagnosis = Describe your child's diagnosis
next-missing-phone = Give a phone number with its country code, for the clinician's call
next-missing-records = Add where your child's records are
next-missing-release = Sign the release for { $facility }
next-missing-questions = Write at least one question for the specialist
next-missing-email = Confirm your email address, with the link we sent you
next-submitted = A personal care coordinator from { -partner } will take your case within one business day.
next-collecting-named-html = <bdi>{ $name }</bdi>, your personal care coordinator, is collecting your child's records: { $done } of { $total } complete. There is nothing for you to do unless they contact you.
next-collecting = Your personal care coordinator is collecting your child's records: { $done } of { $total } complete. There is nothing for you to do unless they contact you.
next-ready-for-review = All records are in. Your care coordinator is choosing the specialist best suited to review them.
next-in-review = The specialist is reviewing the case. We will email you when the opinion is ready.
next-opinion-ready = Your child's second opinion is ready.
next-opinion-read = Read the second opinion
next-call-waiting = A staff doctor from { -partner } will call you to go through it.
next-call-scheduled = Your follow-up call with the staff doctor is scheduled for { $when }.
next-call-done = Your follow-up call with the staff doctor took place on { $when }.
next-closed-html = This case is closed. You can still <a href="/family/cases/{ $case }/opinion">read and print the second opinion</a>.
next-cancelled = This case was cancelled.
next-release-needed-html = <strong>Please sign the release for { $facility }</strong>, so your care coordinator can ask for those records.
next-fee-waiting = Your care coordinator asked about an additional review.
next-fee-decide = Decide whether to go ahead
next-unread = { $count ->
    [one] You have a new message from your care team.
   *[other] You have { $count } new messages from your care team.
}
next-unread-read = { $count ->
    [one] Read it
   *[other] Read them
}
next-expected-after-records = The written opinion usually follows 5 to 7 business days after all the records are in.
next-expected-between-html = Opinion expected between <strong>{ $from }</strong> and <strong>{ $to }</strong>.
next-expected-late = The opinion was expected by { $by } and is taking longer. Your care coordinator will contact you; you can also call { -phone }.
next-expected-delivered = The opinion was delivered on { $on }.

timeline-draft = You opened the case.
timeline-submitted = The case was submitted and the fee was paid.
timeline-collecting-records = A care coordinator took the case and began collecting records.
timeline-ready-for-review = All records were collected.
timeline-in-review = The case was sent to the specialist for review.
timeline-opinion-delivered = The specialist's written opinion is ready.
timeline-closed = The case was closed.
timeline-cancelled = The case was cancelled.
timeline-record-received = Records from { $facility } were received.
timeline-sent-to-specialist = The written opinion is expected by { $date }.
timeline-fee-requested = Your care coordinator asked about an additional review. Nothing is charged unless you agree.
timeline-fee-requested-amount = Your care coordinator asked about an additional review ({ $amount }). Nothing is charged unless you agree.
timeline-fee-paid = You paid for the additional review.
timeline-fee-declined = You declined the additional review.
timeline-fee-waived = The additional review's fee was waived: nothing to pay.
timeline-follow-up-asked = You asked a clarifying question about question { $number }.
timeline-follow-up-answered-specialist = The specialist answered your clarifying question about question { $number }.
timeline-follow-up-answered-clinician = The staff doctor answered your clarifying question about question { $number }.
timeline-call-scheduled = Your follow-up call with the staff doctor was scheduled for { $when }.
timeline-call-done = The staff doctor called you to go through the opinion.
timeline-referral-requested = You asked for help with a visit or a referral.
timeline-release-needed = Your care coordinator added { $facility }; please sign its release.
timeline-payment-declined = A card payment was declined. Nothing was charged; please try another card.

cancel-title = Cancel this case
cancel-until = You can cancel until the specialist's review starts.
cancel-refunded = The case fee will be refunded to your card.
cancel-button = Cancel the case…
cancel-confirm-title = Cancel case { $number }?
cancel-cant-reopen = The case is cancelled and can't be reopened.
cancel-refund = What you paid for it is refunded to the card you paid with; refunds usually appear within 5 to 10 days.
cancel-new-case = You can open a new case for your child at any time.
cancel-yes = Yes, cancel the case
cancel-yes-refund = Yes, cancel and refund
cancelled = The case is cancelled.
cancelled-refunded = The case is cancelled and what you paid has been refunded to your card. Refunds usually appear within 5 to 10 days.
cancelled-refund-on-its-way = The case is cancelled. Your refund is on its way; it usually appears on your card within 5 to 10 days.
cancelled-refund-failed = The case is cancelled. We could not make the refund automatically; our team has been alerted and will make it.
