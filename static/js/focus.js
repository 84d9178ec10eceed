// A refusal or a form's problems, announced and focused as the page opens,
// so a keyboard or screen-reader user starts where the message is. The page
// works the same without this script: the message is at the top either way.
(function () {
  "use strict";
  var target = document.querySelector(".error-summary, #refusal");
  if (target) {
    target.focus();
  }
})();
