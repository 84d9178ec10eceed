// Asks before leaving a page whose form has typing not yet saved (the
// browser's back button, a link elsewhere). Submitting that form never asks:
// the wizard's steps are its submit buttons and save as they go.
(function () {
  'use strict';
  var dirty = [];
  document.querySelectorAll('form[data-unsaved]').forEach(function (form) {
    var mark = function () { if (dirty.indexOf(form) < 0) dirty.push(form); };
    form.addEventListener('input', mark);
    form.addEventListener('change', mark);
    form.addEventListener('submit', function () { dirty = dirty.filter(function (f) { return f !== form; }); });
  });
  window.addEventListener('beforeunload', function (event) {
    if (dirty.length > 0) {
      event.preventDefault();
      event.returnValue = '';
    }
  });
})();
