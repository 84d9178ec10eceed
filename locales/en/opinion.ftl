# The opinion page and the opinion document's fixed text (what the specialist
# wrote is shown as written, in English).

opinion-title = Second opinion
opinion-heading-html = Second opinion for <bdi>{ $name }</bdi>
opinion-print = Print or save as PDF
opinion-kind = Written second opinion · { $institution }
opinion-written = The written opinion
opinion-in-english = The specialist writes the opinion in English. The staff doctor who calls you to go through it can arrange an interpreter for the call, free of charge.
opinion-case = Case
opinion-specialist = Specialist
opinion-institution = Institution
opinion-signed = Signed
opinion-not-signed = Not signed yet (draft)
opinion-records-reviewed = Records reviewed
opinion-none-listed = None listed.
opinion-unavailable = (unavailable: { $why })
opinion-no-files = (no files)
opinion-conclusion = The specialist's conclusion
opinion-no-outcome = No outcome chosen yet.
opinion-answers = Your questions, answered
opinion-question = Question { $number }:
opinion-not-answered = Not answered yet.
opinion-summary = Summary
opinion-recommendations = Recommendations
opinion-pcp-notes = Notes for the child's primary care provider
opinion-written-by-signed-html = Written by <bdi>{ $name }</bdi>, signed { $when }.
opinion-written-by-draft-html = Written by <bdi>{ $name }</bdi> (draft, not signed).

opinion-what-now = What to do now
opinion-now-pcp = Schedule time with your child's primary care provider to review the recommendations and decide together on the best approach.
opinion-now-call = A staff doctor from { -partner } will call you to go through the opinion and answer general medical questions.
opinion-now-interpreter = The opinion is written in English. Your care team can arrange an interpreter for the call: ask your care coordinator, or call { -phone }.
opinion-now-come-html = If you decide to come to { -hospital } for treatment, your child will likely see the same doctor who wrote this opinion. Please call the clinic to confirm that this doctor is still the right specialist and is available: <a href="{ -appointments-tel }">{ -appointments-phone }</a>.

share-title = Share it with your child's doctor
share-intro = Make a link for your child's doctor. It works for 14 days, opens only with your child's date of birth, shows the opinion read-only, and you can withdraw it at any time. Each time it is opened is listed here.
share-new-link-html = <strong>The link for your child's doctor</strong> (copy it now; it is not shown again)
share-give-dob = Give the doctor your child's date of birth separately, for example by phone.
share-made = Link made { $when }
share-made-hidden = made { $when }
share-works-until = works until { $when }
share-expired = expired { $when }
share-withdrawn = withdrawn { $when }
share-not-opened = Not opened yet.
share-opened = { $count ->
    [one] Opened 1 time:
   *[other] Opened { $count } times:
}
share-withdraw = Withdraw this link
share-make = Make a link for my child's doctor

follow-up-intro = If something in the opinion is unclear, you can ask up to 3 clarifying questions, each about one of your original questions. They must clarify what you read; new questions can't be added. The staff doctor from { -partner } answers, or asks the specialist, whose answer is not guaranteed.
follow-up-left-html = <strong>{ $left } of 3 left.</strong> The window closes { $when }.
follow-up-which = Which of your questions does this clarify?
follow-up-choose = Choose a question
follow-up-label = Your clarifying question
follow-up-label-in-error = A follow-up question
follow-up-hint = Up to 2,000 characters.
follow-up-send = Send the question
follow-up-all-used = You have used all 3 follow-up questions for this case.
follow-up-what-you-wrote = What you wrote:
follow-up-closed = The follow-up window closed { $when }.
follow-up-missing = Write your clarifying question.
follow-up-choose-question = Choose which of your questions this clarifies.
follow-up-window-closed = The follow-up window for this case has closed: follow-up questions can be asked within 5 business days of the opinion.
follow-up-sent = Your question was sent. We will email you when there is an answer.

referral-title = A visit with the expert, or a referral
referral-intro = Our care team can help you arrange a visit with the expert, or a referral.
referral-note = Anything we should know (optional)
referral-ask = Ask for help with a visit or referral
referral-note-refused = Nothing was sent: the note can be at most 2,000 characters, in plain text.
referral-sent-flash = Your request was sent. The clinician will contact you.
