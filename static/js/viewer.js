// The records viewer: a PDF drawn page by page with pdf.js (our own copy,
// served from this app), so the specialist reads it in the page and sees how
// many pages it has. Without JavaScript the page offers the download.
(function () {
  "use strict";
  var viewer = document.querySelector("[data-pdf]");
  if (!viewer) return;
  var count = document.querySelector("[data-page-count]");
  var pages = viewer.querySelector("[data-pages]");

  function say(text) {
    if (count) count.textContent = text;
  }

  import(viewer.dataset.pdfjs)
    .then(function (pdfjs) {
      pdfjs.GlobalWorkerOptions.workerSrc = viewer.dataset.worker;
      return pdfjs.getDocument({ url: viewer.dataset.pdf, isEvalSupported: false }).promise;
    })
    .then(function (doc) {
      say(doc.numPages === 1 ? "1 page" : doc.numPages + " pages");
      var chain = Promise.resolve();
      for (var n = 1; n <= doc.numPages; n++) {
        chain = chain.then(drawPage.bind(null, doc, n));
      }
      return chain;
    })
    .catch(function () {
      say("unknown: this file could not be shown here. Use the download link.");
    });

  function drawPage(doc, n) {
    return doc.getPage(n).then(function (page) {
      var viewport = page.getViewport({ scale: 1.5 });
      var canvas = document.createElement("canvas");
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      canvas.className = "viewer-page";
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", "Page " + n + " of " + doc.numPages);
      pages.appendChild(canvas);
      return page.render({ canvasContext: canvas.getContext("2d"), viewport: viewport }).promise;
    });
  }
})();
