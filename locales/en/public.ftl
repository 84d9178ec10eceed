# Signing in and creating an account: what a refused form says.

login-not-right = The email or password is not right. Check them and try again, or reset your password.
login-password-missing = Enter your password.
login-throttled = { $minutes ->
    [one] Too many attempts to sign in. For your security, please wait 1 minute and try again, or reset your password.
   *[other] Too many attempts to sign in. For your security, please wait { $minutes } minutes and try again, or reset your password.
}
register-throttled-account = { $minutes ->
    [one] Too many attempts to create an account with this email address. Please wait 1 minute, or sign in or reset your password if you already have an account.
   *[other] Too many attempts to create an account with this email address. Please wait { $minutes } minutes, or sign in or reset your password if you already have an account.
}
register-throttled-network = { $minutes ->
    [one] Too many accounts were created from your network in the last hour. Please wait 1 minute and try again.
   *[other] Too many accounts were created from your network in the last hour. Please wait { $minutes } minutes and try again.
}

# The public landing page and its questions and answers.

landing-title = Online second opinions for children
landing-emergency-label = Medical emergencies
landing-emergency-html = <strong>Is this a medical emergency?</strong> Do not use this service for medical emergencies or if you need immediate treatment guidance. Call 911 (or your local emergency number) or go to the nearest emergency room.
landing-lead = If your child is facing a complex medical issue or a difficult treatment decision, a second opinion from a specialist at { -hospital } can give you guidance and peace of mind, wherever you live.
landing-online = Everything happens online, so you do not need to travel. { -partner }, our care-coordination partner, gathers your child's medical records and looks after every step for you. The service is confidential.
landing-dashboard = Go to your dashboard
landing-who-title = Who this service can help
landing-who-intro = An online second opinion can be very helpful if:
landing-who-diagnosis = you want a second opinion on your child's diagnosis
landing-who-treatment = you want a second opinion on the treatment your child's doctors have recommended
landing-in-person-html = If you would rather see a doctor in person, call <a href="{ -appointments-tel }">{ -appointments-phone }</a> for help finding a doctor or clinic at { -hospital }.
landing-how-title = How it works
landing-how-intro = You can get an online second opinion for your child in four steps.
landing-step1-title = Create an account and open a case
landing-step1-html = Create an account, add a profile for your child, then open a case from your dashboard. If you need help, call { -partner }, our care-coordination partner (see <a href="#help">help and contact numbers</a>).
landing-step2-title = Tell us about your child
landing-step2 = You give us an email address, basic information about your child, where your child's medical records are kept, and up to five questions you would like the specialist to answer.
landing-step3-title = We collect the records and choose the specialist
landing-step3 = { -partner } collects all of your child's medical records and chooses the { -hospital } specialist best suited to review the case. Everything is handled securely to protect your family's privacy.
landing-step4-title = The specialist writes the second opinion
landing-step4 = The specialist reviews your child's diagnosis and treatment plan and gives clear medical guidance in a written second opinion that answers the questions you asked.
landing-team = Each case has its own personal care coordinator and staff doctor from { -partner }. They are your points of contact throughout: they handle the logistics, collect the records, answer your questions and make sure your needs are met.
landing-cost-title = What it costs
landing-cost-html = An online second opinion costs <strong>{ $fee }</strong>. This includes:
landing-cost-team = a personal care coordinator and staff doctor from { -partner }
landing-cost-records = collecting, digitizing and submitting your child's medical records
landing-cost-review = a medical review by a specialist at { -hospital }
landing-cost-opinion = a written opinion from that specialist
landing-cost-follow-up = follow-up to answer questions and help with referrals related to the second opinion
landing-cost-extra = In rare cases the specialist asks for another review of imaging tests or pathology reports (such as biopsy results). If that happens, your care coordinator will contact you about the additional fee before anything is done.
landing-paying-title = Paying
landing-paying-due = Payment is due when you submit your second opinion request.
landing-paying-cards = We accept all major credit cards: Mastercard, Visa, American Express and Discover.
landing-paying-hsa = You can also pay with a health savings account (HSA) or flexible spending account (FSA) card.
landing-paying-insurance = Most health plans do not cover online second opinions, so you are responsible for the cost. No claim is filed with your insurance carrier, and we cannot give a procedure (CPT) code for this service.
landing-timing-title = How long it takes
landing-timing-html = Most families receive the written second opinion <strong>within 5 to 7 business days after all of the medical records have been collected</strong>. The time depends on how quickly the records can be obtained, how complex the case is, and the availability of the specialist best suited to review it.
landing-timing-updates = Your care coordinator will keep you updated, and you can sign in at any time to see how your child's case is progressing.
landing-before-title = Good to know before you start
landing-before-english-html = <strong>Records must be in English.</strong> If any of your child's records are in another language, please have them translated by a qualified medical translator before you submit them. You may use any qualified service you choose, or contact { -translation-service }.
landing-before-questions-html = <strong>You can ask up to 5 questions.</strong> All questions must be finalized before the specialist starts the review, and none can be added afterwards. There is no direct phone conversation with the specialist, so please include everything you want to ask at the start.
landing-before-records-html = <strong>Records cannot be added once the review has started.</strong> If new information becomes available, you can open and pay for a new case and ask for the same specialist, although we cannot guarantee they will be available.
landing-before-doctor-html = <strong>You may ask for a particular doctor.</strong> We will try to accommodate your wish, but we cannot guarantee that specialist will be assigned.
landing-after-title = When you receive the opinion
landing-after-call = We will let you know when the written second opinion is ready. After you have read it, a clinician from { -partner } will call you to talk through general medical questions about it.
landing-after-may = The specialist may:
landing-after-agree = agree with the original diagnosis and treatment plan, giving you peace of mind that you are making the right decisions for your child
landing-after-treatment = agree with the diagnosis but suggest different or additional treatment
landing-after-different = reach a different diagnosis and recommend a different course of treatment
landing-after-pcp = Whatever the outcome, please make an appointment with your child's primary care provider to review the recommendations together and plan the best treatment for your child.
landing-follow-up-title = Follow-up questions
landing-follow-up-html = If something in the answer to one of your questions is unclear, you can ask <strong>up to 3 clarifying follow-up questions within 5 business days</strong> of the opinion being made available to you. Follow-up questions must ask about what you have read; they cannot be new questions. The staff doctor from { -partner } will answer first and, if needed, try to reach the specialist. Answers from the specialist depend on their availability and are not guaranteed.
faq-title = Frequently asked questions
faq-how = How does it work?
faq-how-html = Create an account, add your child and open a case. Tell us where your child's records are and what you would like to ask. { -partner } collects the records and chooses the specialist, who then writes a second opinion answering your questions. The <a href="#how-it-works">four steps</a> are described above. A personal care coordinator and a staff doctor support you throughout.
faq-long = How long does it take?
faq-long-1 = We do our best to deliver written second opinions as quickly as possible. The time depends mostly on how quickly all of the relevant medical records can be obtained. Once they have been collected, most people receive the written second opinion within 5 to 7 business days, depending on the complexity of the case and the availability of the specialist best suited to review it.
faq-long-2 = Your care coordinator will keep you updated, and you can sign in to your secure account at any time to track progress.
faq-cost = How much does it cost?
faq-cost-1 = An online second opinion costs { $fee }. That includes the care coordinator and staff doctor, collecting and digitizing the records, the specialist's review, the written opinion, and follow-up about questions and referrals related to the opinion.
faq-cost-2 = In rare cases the specialist suggests another review of imaging tests or pathology reports (such as biopsy results). If this happens, your care coordinator will contact you about the additional fees for these services.
faq-insurance = Will my child's insurance help pay for it?
faq-insurance-1 = Currently, most health plans do not cover online second opinions or consultations, so you are responsible for the cost. Payment is due when you submit your second opinion request.
faq-insurance-2 = We accept all major credit cards (Mastercard, Visa, American Express and Discover). You may also pay with your health savings account (HSA) or flexible spending account (FSA). { -hospital } will not file a claim with your insurance carrier and cannot provide a procedure (CPT) code for the online second opinion service.
faq-language = What if my child's medical records are in another language?
faq-language-1 = Medical records must be submitted in English. Please have the records translated by a qualified medical translator before you submit them for review. You may use any qualified service you choose, or contact { -translation-service } for help.
faq-after = What should I do once I have the second opinion?
faq-after-1 = The specialist may agree with the original diagnosis and treatment plan, giving you peace of mind that you are making the right decisions for your child's care. The specialist may agree with the diagnosis but offer different or additional treatment recommendations. Or the specialist may reach a different diagnosis and recommend a different course of treatment.
faq-after-2 = Whatever the outcome, once you receive the report, schedule time with your child's primary health care provider to review the recommendations and work together on the best treatment approach.
faq-after-3 = If you decide to come to { -hospital } for treatment, your child will likely see the same doctor who gave the online second opinion. Please call the clinic to confirm that this doctor is still the right specialist for your child and is available to see you.
faq-add = Can I add more records, lab reports or images once the review is underway?
faq-add-1 = The specialist cannot review the case until we have received all of the necessary records. Unfortunately, once the review has begun we cannot add more records or test results to the case, so the specialist will not be able to review them.
faq-add-2 = If new information becomes available while your child's case is underway, you are welcome to open and pay for a new case, and we can ask for the same specialist who reviewed the first case. We cannot guarantee that the same specialist will be available.
faq-who = Who chooses the doctor who gives the second opinion?
faq-who-1 = After carefully reviewing your request and your child's medical records, our experienced team decides which specialist at { -hospital } is most appropriate. You may ask for a particular doctor, and we will try to accommodate your wishes, but we cannot guarantee that specialist will be assigned to your child's case.
faq-questions = How many questions may I ask the specialist?
faq-questions-1 = You may ask up to five questions, so that the specialist has enough time to give each one proper attention. All questions must be finalized before we ask the specialist to review the case, and questions cannot be added once the case is underway.
faq-questions-2 = There is no direct phone conversation with the specialist, so it is important to submit all of your questions at the start.
faq-receive = What will I receive when the second opinion is complete?
faq-receive-1 = You will be notified when the completed second opinion is ready for you to read. It is a written opinion. After you have read it, a clinician from { -partner } will call you to answer general medical questions about it.
faq-follow-up = May I ask the specialist follow-up questions after reading the second opinion?
faq-follow-up-1 = If you would like clarification of the answer to one of your questions and the staff doctor from { -partner } cannot provide it, the staff doctor will try to contact the specialist. Whether the specialist can respond depends on their availability; answers to follow-up questions are not guaranteed.
faq-follow-up-2 = Follow-up questions must be asked within 5 business days of the completed second opinion being made available to you, and you may ask up to 3 clarifying questions. They should ask about what you have read, not introduce new questions. { -partner } can also help you arrange a visit with the specialist if needed.
landing-help-title = Help and contact numbers
landing-help-intro = For help with an online second opinion, call { -partner }, our care-coordination partner:
landing-help-us-html = Within the United States: <a href="{ -phone-tel }">{ -phone }</a>
landing-help-intl-html = International: <a href="{ -phone-intl-tel }">{ -phone-intl }</a>
landing-help-hours = Help is available { -hours }.
landing-help-appointments-html = To make an in-person appointment at { -hospital }, call <a href="{ -appointments-tel }">{ -appointments-phone }</a>.
landing-help-emergency = For a medical emergency, call 911 or go to the nearest emergency room.
landing-fee-unknown = the case fee shown before you pay
