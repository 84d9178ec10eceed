# The safety screen, asked before any case is opened (issue 14). This file
# is its configuration: the signs and the wording. Each answer keeps a
# digest of both languages' files, so a change of wording is a new version.

safety-title = Before you start
safety-intro = A second opinion takes about two weeks. First, two questions, so that your child gets the right help in time.
safety-emergency-legend = Does your child have any of these signs right now?
safety-emergency-signs = Trouble breathing or blue or grey lips; a seizure; fainting, or not waking up normally; heavy bleeding; severe pain that keeps getting worse; thoughts of harming themselves.
safety-decision-legend = Must a decision about your child's treatment (for example an operation or a new medicine) be made in the next 7 days?
safety-decision-hint = If so, we tell the care team, so they can look at your case first. We can't promise the opinion before then.
safety-yes = Yes
safety-no = No
safety-emergency-missing = Say whether your child has any of these signs right now.
safety-decision-missing = Say whether a treatment decision must be made in the next 7 days.
safety-stop-title = Call 911 now
safety-stop-html = <strong>This is a medical emergency.</strong> Call 911 or go to the nearest emergency room now. Do not wait for a second opinion.
safety-stop-no-case = No case was opened. When your child is safe, you can come back and open a case.
safety-stop-back = Back to your children and cases
