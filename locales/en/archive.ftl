# A family's copy of everything about a case (family/archive.rs, templates/family/archive/).
archive-heading = Your copy of everything
archive-link-short = the opinion with your questions, records list, messages and receipts
archive-link = Download everything (zip)
archive-link-about = One file with the signed opinion (to print or read offline), your questions and their answers, the records list, your messages and the files you sent, and your receipts.
archive-throttled = You have downloaded this case many times in the last hour. Please try again later.
archive-title = Everything about case { $number }
archive-made-html = About <bdi>{ $name }</bdi>. Made { $when }.
archive-private = This archive holds your child's health information. Keep it somewhere private, and share it only with people you trust.
archive-inside = What is inside
archive-file-opinion-html = the signed second opinion, as it prints (opens in any web browser)
archive-file-opinion-txt = the same opinion as plain text
archive-no-opinion = There is no signed opinion yet: download again once it is ready.
archive-file-questions = your questions, and the clarifying questions with their answers
archive-file-records = where the records are, what came of each, and the files on the case
archive-file-messages = your messages with your care team
archive-file-files = { $count ->
    [one] the file you attached to a message
   *[other] the { $count } files you attached to messages
}
archive-file-receipts = { $count ->
    [one] your receipt, and the year's totals for this case
   *[other] your { $count } receipts, and the year's totals for this case
}
archive-as-written = What you, the specialist and your care team wrote is kept as it was written.
archive-receipts-title = Receipts for case { $number }
archive-year-totals = Payments for this case by year
archive-year = Year
archive-questions-heading = Your questions
archive-records-heading = Where the records are
archive-messages-heading = Messages with your care team
archive-message-from = { $name } ({ $role }), { $when }
archive-message-file = Attached: { $name } (in this archive: { $path })
