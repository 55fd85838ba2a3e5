// Typeset the formulas pymdownx.arithmatex marked (generic mode: \( ... \) and \[ ... \]) with KaTeX,
// served from the site itself. mkdocs-material's document$ emits on every page, instant navigation included.
document$.subscribe(function () {
  document.querySelectorAll(".arithmatex").forEach(function (element) {
    renderMathInElement(element, {
      delimiters: [
        { left: "\\(", right: "\\)", display: false },
        { left: "\\[", right: "\\]", display: true },
      ],
      throwOnError: false,
    })
  })
})
