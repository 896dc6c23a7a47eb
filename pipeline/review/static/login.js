// Sign in with a secret, or with a one-time link: its token is in the URL fragment (#once=…),
// which the browser never sends to the server; it is posted once and removed from the address.
"use strict";
(async () => {
  const {api, banner} = Review;
  const next = new URLSearchParams(location.search).get("next") || "/";
  const safeNext = next.startsWith("/") && !next.startsWith("//") ? next : "/";
  const once = new URLSearchParams(location.hash.slice(1)).get("once");
  if (once) {
    history.replaceState(null, "", location.pathname + location.search);
    const res = await api("POST", "/api/login/once", {token: once});
    if (res.ok) { location.href = safeNext; return; }
    banner(res.data.error, "error");
  }
  document.getElementById("login-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const res = await api("POST", "/api/login", {name: document.getElementById("login-name").value,
                                                 secret: document.getElementById("login-secret").value});
    if (res.ok) location.href = safeNext; else banner(res.data.error, "error");
  });
})();
