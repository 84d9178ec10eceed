# The family's dashboard and children.

dashboard-title = Your children and cases
dashboard-confirm-email-html = <strong>Please confirm your email address.</strong> We sent you a link when you registered. We use this address to tell you when there is an update on your case.
dashboard-send-link = Send a new link
dashboard-invitation = { $inviter } invited you to follow their child's case with them.
dashboard-invitation-open = See the invitation
dashboard-open-case = Open a new case
dashboard-add-child = Add a child
dashboard-no-children = You have no children's profiles yet. Opening a case takes about 15 minutes: you add your child, tell us where the medical records are, and write up to five questions for the specialist.
dashboard-age = { $years ->
    [one] 1 year old
   *[other] { $years } years old
}
dashboard-edit-child = Edit details
dashboard-of-child = of { $name }
dashboard-guardians = Parents and guardians
dashboard-no-cases = No cases yet.
dashboard-statements = Payment statements for your HSA, FSA or records:
dashboard-help-html = If you need help, call { -partner } at <a href="{ -phone-tel }">{ -phone }</a>, { -hours }.

child-add-title = Add a child
child-edit-title = Edit child's details
child-privacy = Only you, the child's other parent or guardian if you invite them, and the people working on your child's case can see these details.
child-first-name = First name
child-last-name = Last name
child-preferred-name = Preferred name (optional)
child-preferred-name-hint = If your child goes by another name, we will use it.
child-date-of-birth = Date of birth
child-date-of-birth-hint = For example 2015-03-27. The program is for children and young people under 21.
child-sex = Sex
child-you-are = You are the child's
child-confirm-guardian = I confirm that I am this child's parent or legal guardian.
child-first-name-missing = Enter the child's first name.
child-last-name-missing = Enter the child's last name.
child-sex-missing = Choose the child's sex, or "Prefer not to say".
child-relationship-missing = Say whether you are the child's parent or legal guardian.
child-confirm-missing = Confirm that you are this child's parent or legal guardian.
child-added = { $name } was added.
child-saved = The child's details were saved.
child-frozen = Your child's name and date of birth can no longer be changed here: the specialist is reviewing your child's case under them. If they are wrong, call your care coordinator at { -phone }, who can correct them.
child-frozen-field = This can't be changed now: your care coordinator can correct it (see above).
name-too-long = Names can be at most 100 characters.
name-bad-characters = The name contains characters we can't accept (control or text-direction characters).
dob-not-a-date = Enter the date of birth as a real date, for example 2015-03-27.
dob-in-future = The date of birth can't be in the future.
dob-too-old = This program is for children and young people under 21.

# Opening a case.
new-case-title = Open a new case
new-case-emergency-html = <strong>Not for emergencies.</strong> If this is a medical emergency, call 911 or go to the nearest emergency room.
new-case-which-child = Which child is this case for?
new-case-start = Start the case
new-case-add-child = Add another child
new-case-choose-child = Choose the child this case is for.
