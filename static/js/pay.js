// The payment page's only script: Stripe.js turns the card into a token in
// the browser (card numbers never reach our server), then the form posts
// that token's card id and the server confirms the payment. When the bank
// asks for 3-D Secure, the page comes back with the intent's client secret:
// Stripe.js runs the bank's check here, then the form tells the server,
// which asks Stripe how it went.
(function () {
  'use strict';
  var form = document.getElementById('pay-form');
  if (!form || typeof Stripe !== 'function') { return; }
  var stripe = Stripe(form.getAttribute('data-publishable-key'));
  var button = document.getElementById('pay-button');
  var secret = form.getAttribute('data-client-secret');
  var sending = false;

  if (secret) {
    form.addEventListener('submit', function (event) {
      if (document.getElementById('authenticated').value) { return; }
      event.preventDefault();
      if (sending) { return; }
      sending = true;
      button.disabled = true;
      stripe.confirmCardPayment(secret).then(function () {
        // Whatever happened, the server asks Stripe and shows the outcome.
        document.getElementById('authenticated').value = '1';
        form.submit();
      });
    });
    return;
  }

  var card = stripe.elements().create('card');
  card.mount('#card-element');
  var errors = document.getElementById('card-errors');
  form.addEventListener('submit', function (event) {
    if (document.getElementById('card_id').value) { return; }
    event.preventDefault();
    if (sending) { return; }
    sending = true;
    button.disabled = true;
    errors.textContent = '';
    stripe.createToken(card).then(function (result) {
      if (result.error || !result.token) {
        errors.textContent = (result.error && result.error.message) || 'Please check the card details.';
        sending = false;
        button.disabled = false;
        return;
      }
      document.getElementById('card_id').value = result.token.card.id;
      form.submit();
    });
  });
})();
