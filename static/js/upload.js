// Upload progress for the forms marked data-upload: a 25 MB scan on a slow
// link takes minutes, so the form shows a progress bar, what is left and
// how long that may take. Without this script the form posts as usual.
(function () {
  "use strict";

  function megabytes(bytes) {
    return (bytes / 1048576).toFixed(1) + " MB";
  }

  function minutesLeft(seconds) {
    if (!isFinite(seconds) || seconds <= 0) return "";
    if (seconds < 60) return ", under a minute left";
    var m = Math.round(seconds / 60);
    return ", about " + m + (m === 1 ? " minute" : " minutes") + " left";
  }

  // The page the server answers with replaces this one (its message shown
  // and focused), as if the form had been posted without the script.
  function show(response, url) {
    document.title = response.title;
    document.body.replaceWith(document.adoptNode(response.body));
    if (url) window.history.replaceState(null, "", url);
    var message = document.querySelector(".error-summary, #refusal, .flash");
    if (message) {
      if (!message.hasAttribute("tabindex")) message.setAttribute("tabindex", "-1");
      message.focus();
    }
    init();
  }

  function init() {
    document.querySelectorAll("form[data-upload]").forEach(function (form) {
      var status = document.createElement("p");
      status.setAttribute("role", "status");
      status.className = "upload-status";
      var bar = document.createElement("progress");
      bar.className = "upload-progress";
      bar.max = 100;
      bar.value = 0;
      bar.hidden = true;
      bar.setAttribute("aria-label", "Upload progress");
      form.appendChild(bar);
      form.appendChild(status);

      form.addEventListener("submit", function (event) {
        var input = form.querySelector("input[type=file]");
        if (!input || input.files.length === 0 || !window.XMLHttpRequest || !window.FormData) return;
        event.preventDefault();
        var button = form.querySelector("button[type=submit]");
        var started = Date.now();
        var xhr = new XMLHttpRequest();
        xhr.open("POST", form.action);
        xhr.responseType = "document";
        xhr.upload.addEventListener("progress", function (e) {
          if (!e.lengthComputable) return;
          var seconds = (Date.now() - started) / 1000;
          var rate = e.loaded / Math.max(seconds, 0.001);
          bar.value = Math.round((e.loaded / e.total) * 100);
          status.textContent = "Uploading: " + megabytes(e.loaded) + " of " + megabytes(e.total) +
            " sent (" + megabytes(e.total - e.loaded) + " to go" + minutesLeft((e.total - e.loaded) / rate) + ").";
        });
        xhr.addEventListener("load", function () {
          if (xhr.response && xhr.response.body) {
            show(xhr.response, xhr.responseURL);
          } else {
            window.location.reload();
          }
        });
        xhr.addEventListener("error", function () {
          bar.hidden = true;
          if (button) button.disabled = false;
          status.textContent = "The upload stopped: the connection was lost. Nothing was saved from this attempt; choose Upload to try again.";
        });
        bar.hidden = false;
        if (button) button.disabled = true;
        status.textContent = "Uploading…";
        xhr.send(new FormData(form));
      });
    });
  }

  init();
})();
