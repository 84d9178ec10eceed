# What a form refuses, field by field (the domain's rules).

name-missing = Enter your full name.
name-too-long-200 = Names can be at most 200 characters.
email-missing = Enter your email address.
email-invalid = Enter an email address like name@example.com.
password-too-short = Use at least 12 characters. A few unrelated words make a good password.
password-too-long = Use at most 128 characters.
password-bad-character = The password contains a character we can't accept.
password-common = This password is too common or appears in known data breaches. Choose another.
phone-missing = Enter a phone number we can call you on, with its country code.
phone-invalid = Enter a phone number with its country code, for example +1 415 555 0100.
question-empty = Write your question. A question can't be empty.
question-too-long = A question can be at most 2,000 characters. Try splitting it, or shortening the background.
question-bad-character = The question contains a character we can't accept.
