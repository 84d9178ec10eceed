# The core rules' refusals (named database constraints put into words), shown on the page that was refused.

refusal-questions-frozen = Questions can't be changed once the specialist's review has started. If something new comes up, you can open a new case.
refusal-child-frozen = Your child's name and date of birth can no longer be changed here: the specialist is reviewing your child's case under them. If they are wrong, call your care coordinator at { -phone }, who can correct them.
refusal-last-question = Your case needs at least one question once payment has started. Change this question instead of removing it.
refusal-records-frozen = Records can't be added or changed once the specialist's review has started. If new information comes up, you can open a new case.
refusal-sixth-question = A case can have at most 5 questions. Combine two questions, or replace one, to ask this.
refusal-fourth-follow-up = You have used all 3 follow-up questions for this case.
refusal-follow-on-not-yet = This case can still take new records and questions: add them to it instead.
refusal-cancel-too-late = The specialist's review has started, so this case can no longer be cancelled.
refusal-needs-phone = Add a phone number with its country code (under "Basic information"), so the care team can call you.
refusal-needs-a-question = A case needs at least one question for the specialist before it is submitted or sent for review.
refusal-messages-closed = This case is not open for messages. If you need us, please call.
refusal-release-signed = The release for this location is already signed.
refusal-forty-files = This case already has the maximum of 40 files.
