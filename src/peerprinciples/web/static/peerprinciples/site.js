// Small enhancements only; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to a form's error summary so keyboard and screen reader users hear it first.
  const summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
});
