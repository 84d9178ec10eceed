# After the opinion: a follow-on case, links for the child's doctor, a release signed later.

follow-on-title = A new case for new information
follow-on-back = Back to case { $number }
follow-on-heading = Open a new case for new information?
follow-on-why = Records and questions can't be added to case { $number }, because the specialist's review has started. To have new information reviewed, you open a new case.
follow-on-fee-html = <strong>The new case is a new { $fee } case</strong>, paid when you submit it, like the first one. Opening it costs nothing, and you can cancel it before the review starts.
follow-on-starts-with = What the new case starts with
follow-on-none-given = None given
follow-on-specialist-html = We will ask for <bdi>{ $name }</bdi> ({ $specialty }) again, but we can't guarantee they will be available.
follow-on-no-specialist = No particular specialist: our team chooses.
follow-on-change = You can change all of this in the new case. It does not copy your questions or where the records are: you add the new records and your questions about them.
follow-on-open = Open the new case
follow-on-not-now = Not now
follow-on-opened = A new case is open, linked to the earlier one, with its basic information copied.
follow-on-opened-specialist = A new case is open, linked to the earlier one, with its basic information copied. We will ask for the same specialist, but we can't guarantee they will be available.
share-created = A link for your child's doctor is ready below. Copy it now: for your child's privacy we can't show it again.
share-revoked = The link is withdrawn: it no longer opens the opinion.
release-signed = The release is signed.
