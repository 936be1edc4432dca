/* Progressive enhancement only: every page works without this file.
   1. Preview of a chosen photo/PDF before upload.
   2. Reasons for officer actions asked in a <dialog> instead of a separate page.
   3. The desk's access keys (Alt + letter) handled the same way in every browser; without this file the
      browser's own accesskey handling still works.
   4. The signing queue marks the row whose draft the panel shows.
   5. The confirm step's sign button waits for the framed draft: pressed before the draft has loaded, the
      signing would be refused (the signer has not opened it yet). Enabled again after 15 s whatever happens,
      so a frame that never loads leaves the server's refusal and its "open in a new tab" link, not a dead button. */
(function () {
  "use strict";
  document.addEventListener("change", function (e) {
    var input = e.target;
    if (!input.matches || !input.matches("input[type=file][data-pratinjau]")) return;
    var wadah = document.getElementById(input.getAttribute("data-pratinjau"));
    if (!wadah) return;
    wadah.textContent = "";
    var file = input.files && input.files[0];
    if (!file) return;
    if (file.type.indexOf("image/") === 0) {
      var img = document.createElement("img");
      img.className = "pratinjau";
      img.alt = file.name;
      img.src = URL.createObjectURL(file);
      wadah.appendChild(img);
    } else {
      var p = document.createElement("p");
      p.className = "bantuan";
      p.textContent = file.name + " (" + Math.ceil(file.size / 1024) + " KB)";
      wadah.appendChild(p);
    }
  });
  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("a[data-dialog]") : null;
    if (!a) return;
    var dialog = document.getElementById(a.getAttribute("data-dialog"));
    if (!dialog || typeof dialog.showModal !== "function") return; /* fall back to the page */
    e.preventDefault();
    dialog.showModal();
    var field = dialog.querySelector("textarea, input:not([type=hidden])");
    if (field) field.focus();
  });
  document.addEventListener("click", function (e) {
    if (e.target.matches && e.target.matches("dialog [data-tutup]")) {
      e.preventDefault();
      e.target.closest("dialog").close();
    }
  });
  document.addEventListener("keydown", function (e) {
    if (!e.altKey || e.ctrlKey || e.metaKey || !/^Key[A-Z]$/.test(e.code || "")) return;
    var el = document.querySelector('[accesskey="' + e.code.slice(3).toLowerCase() + '"]');
    if (!el) return;
    e.preventDefault();
    if (el.matches("input, textarea, select")) el.focus(); else { el.focus(); el.click(); }
  });
  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("a[data-draf]") : null;
    if (!a) return;
    var baris = a.closest("tr");
    Array.prototype.forEach.call(baris.parentNode.querySelectorAll("tr[aria-current]"), function (tr) {
      tr.removeAttribute("aria-current");
    });
    baris.setAttribute("aria-current", "true");
  });
  var draf = document.querySelector("iframe[data-tunggu-draf]");
  var tombol = draf && document.getElementById(draf.getAttribute("data-tunggu-draf"));
  if (tombol) {
    var buka = function () {
      if (!tombol.disabled) return;
      tombol.disabled = false;
      tombol.removeAttribute("aria-busy");
      if (tombol.hasAttribute("autofocus") && (!document.activeElement || document.activeElement === document.body)) {
        tombol.focus();
      }
    };
    tombol.disabled = true;
    tombol.setAttribute("aria-busy", "true");
    draf.addEventListener("load", buka);
    window.setTimeout(buka, 15000);
    try { /* a frame that finished loading before this deferred script ran */
      var isi = draf.contentDocument;
      if (isi && isi.readyState === "complete" && isi.URL !== "about:blank") buka();
    } catch (err) { /* not readable: wait for its load event */ }
  }
})();
