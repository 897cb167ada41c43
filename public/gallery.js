// The listing's photo strip: a thumbnail scrolls the strip to its photo (not the whole
// page, as the plain link would), and the thumbnail of the photo in view is marked.
(function () {
  var strip = document.querySelector(".photo-strip");
  var links = document.querySelectorAll(".thumbs a");
  if (!strip || !links.length) return;
  function mark(n) {
    links.forEach(function (a, i) {
      if (i === n) a.setAttribute("aria-current", "true");
      else a.removeAttribute("aria-current");
    });
  }
  links.forEach(function (a, i) {
    a.addEventListener("click", function (e) {
      e.preventDefault();
      strip.scrollTo({ left: i * strip.clientWidth });
      mark(i);
    });
  });
  strip.addEventListener("scroll", function () {
    mark(Math.round(strip.scrollLeft / strip.clientWidth));
  }, { passive: true });
})();
