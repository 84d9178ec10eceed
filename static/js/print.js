// "Print or save as PDF" on the opinion page; the print stylesheet does the rest.
(function () {
  'use strict';
  document.querySelectorAll('[data-print]').forEach(function (button) {
    button.addEventListener('click', function () { window.print(); });
  });
})();
