/* The receipt page's Copy and Print buttons. They are hidden in the HTML and shown here, so a
   browser without JavaScript never shows a button that does nothing; there the code is selected
   whole by one tap, and the download link works on its own. Loaded again on each receipt page
   htmx swaps in, so the click handler is added once only. */
(function () {
  function show() {
    document.querySelectorAll("[data-receipt-action]").forEach(function (b) { b.hidden = false; });
  }

  function selectCode(code) {
    var range = document.createRange();
    range.selectNodeContents(code);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function act(button) {
    var status = document.getElementById("receipt-status");
    var code = document.getElementById("receipt-code");
    if (button.dataset.receiptAction === "print") { window.print(); return; }
    var say = function (text) { if (status) { status.textContent = text; } };
    var failed = function () { selectCode(code); say(button.dataset.failed); };
    if (!navigator.clipboard || !window.isSecureContext) { failed(); return; }
    navigator.clipboard.writeText(code.textContent.trim())
      .then(function () { say(button.dataset.done); }, failed);
  }

  if (!window.pbappReceipt) {
    window.pbappReceipt = true;
    document.addEventListener("click", function (event) {
      var button = event.target.closest("[data-receipt-action]");
      if (button) { act(button); }
    });
    document.addEventListener("htmx:load", show);
  }
  show();
})();
