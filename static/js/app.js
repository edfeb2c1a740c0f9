// Small behaviours shared by all pages. Loaded from the app itself (the CSP forbids inline scripts).
document.addEventListener("DOMContentLoaded", () => {
  // Put the keyboard focus on the first field with an error, or the field marked autofocus.
  const invalid = document.querySelector(".is-invalid");
  if (invalid) invalid.focus();
});
