// Pagefind's UI, served from this site (no external script): filters by 部门, 年度, 类别.
(function () {
  // The site may live under a path on the portal (e.g. /yjgk/): results link from there, not from "/".
  var script = document.currentScript;
  var base = script ? new URL("../", script.src).pathname : "/";
  window.addEventListener("DOMContentLoaded", function () {
    if (typeof PagefindUI === "undefined") return;
    new PagefindUI({
      element: "#dc-search",
      baseUrl: base,
      showSubResults: false,
      showImages: false,
      openFilters: ["类别", "年度", "部门"],
      translations: {
        placeholder: "输入关键词，如：学生资助",
        zero_results: "未找到与“[SEARCH_TERM]”相关的公开信息",
        many_results: "找到 [COUNT] 条与“[SEARCH_TERM]”相关的结果",
        one_result: "找到 1 条与“[SEARCH_TERM]”相关的结果",
        filters_label: "筛选",
        load_more: "加载更多结果",
        clear_search: "清除",
        search_label: "检索本站"
      }
    });
    // Pagefind's field has only a placeholder; the page's visible label names it for screen readers.
    var input = document.querySelector("#dc-search .pagefind-ui__search-input");
    if (input) input.id = "dc-search-input";
  });
})();
