// A select marked data-autosubmit submits its form when changed (no inline handlers: the Content-Security-Policy
// allows scripts from these files only).
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches && target.matches("[data-autosubmit]") && target.form) {
    target.form.requestSubmit();
  }
});
