// preflight serve: progressive enhancements only — the page works without
// this script. Drop a file on the text area to paste its text; copy
// buttons beside each DNS record to publish.
(function () {
  "use strict";
  var input = document.getElementById("input");
  if (input) {
    input.addEventListener("dragover", function (e) { e.preventDefault(); input.classList.add("drop"); });
    input.addEventListener("dragleave", function () { input.classList.remove("drop"); });
    input.addEventListener("drop", function (e) {
      e.preventDefault();
      input.classList.remove("drop");
      var f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
      if (!f) { return; }
      if (f.size > 10 * 1024 * 1024) { alert("The file is larger than 10 MiB."); return; }
      f.text().then(function (t) { input.value = t; input.focus(); });
    });
  }
  var result = document.getElementById("result");
  var label = function (name, dflt) { return (result && result.getAttribute(name)) || dflt; };
  var pres = document.querySelectorAll(".rec pre");
  Array.prototype.forEach.call(pres, function (pre) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "copy";
    b.textContent = label("data-copy", "Copy");
    b.setAttribute("aria-label", label("data-copy-label", "Copy this record"));
    b.addEventListener("click", function () {
      var text = pre.innerText;
      var done = function () {
        b.textContent = label("data-copied", "Copied");
        setTimeout(function () { b.textContent = label("data-copy", "Copy"); }, 1500);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () { select(pre); });
      } else { select(pre); }
    });
    pre.parentNode.insertBefore(b, pre);
  });
  function select(el) {
    var r = document.createRange();
    r.selectNodeContents(el);
    var s = window.getSelection();
    s.removeAllRanges();
    s.addRange(r);
  }
  if (result && result.children.length > 0 && location.hash === "") {
    result.focus();
  }
})();
