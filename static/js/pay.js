// The payment page's only script: Stripe.js turns the card into a token in
// the browser (card numbers never reach our server), then the form posts
// that token's card id and the server confirms the payment.
(function () {
  'use strict';
  var form = document.getElementById('pay-form');
  if (!form || typeof Stripe !== 'function') { return; }
  var stripe = Stripe(form.getAttribute('data-publishable-key'));
  var card = stripe.elements().create('card');
  card.mount('#card-element');
  var errors = document.getElementById('card-errors');
  var button = document.getElementById('pay-button');
  var sending = false;
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
