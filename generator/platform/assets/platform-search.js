// Cross-site search: one Pagefind instance over every member's bundle (copied to bundles/<code>/pagefind/
// when the platform was built), each merged with its own level and place as filters and its own
// address as base URL, so every result links to the record's page on its own site.
(function () {
  "use strict";
  var form = document.getElementById("pf-search");
  if (!form) return;
  var input = document.getElementById("pf-q");
  var status = document.getElementById("pf-status");
  var list = document.getElementById("pf-results");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var here = new URL(".", document.baseURI);
  var ready = null;

  function load() {
    if (ready) return ready;
    ready = fetch(new URL(form.getAttribute("data-members"), here)).then(function (r) {
      if (!r.ok) throw new Error("members.json " + r.status);
      return r.json();
    }).then(function (members) {
      if (!members.length) throw new Error("no members");
      var first = members[0];
      return import(new URL(first.bundle + "pagefind.js", here).href).then(function (pf) {
        return pf.options({ basePath: new URL(first.bundle, here).href, baseUrl: first.base,
                            mergeFilter: first.filters }).then(function () {
          return members.slice(1).reduce(function (p, m) {
            return p.then(function () {
              return pf.mergeIndex(new URL(m.bundle, here).href, { baseUrl: m.base, mergeFilter: m.filters });
            });
          }, Promise.resolve());
        }).then(function () { return pf.init(); }).then(function () { return pf; });
      });
    });
    return ready;
  }

  function fillFilters(pf) {
    return pf.filters().then(function (all) {
      selects.forEach(function (select) {
        var values = Object.keys(all[select.getAttribute("data-filter")] || {}).sort();
        values.forEach(function (v) {
          var option = document.createElement("option");
          option.value = v;
          option.textContent = v;
          select.appendChild(option);
        });
      });
    });
  }

  function chosen() {
    var filters = {};
    selects.forEach(function (s) { if (s.value) filters[s.getAttribute("data-filter")] = s.value; });
    return filters;
  }

  function text(html) {
    // Pagefind's excerpt marks the hits with <mark>; shown as plain text, never parsed as HTML.
    return html.replace(/<[^>]*>/g, "");
  }

  function show(results) {
    list.textContent = "";
    return Promise.all(results.slice(0, 50).map(function (r) { return r.data(); })).then(function (items) {
      items.forEach(function (d) {
        if (!/^https?:\/\//.test(d.url || "")) return;  // only links to the members' own sites
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = d.url;
        a.textContent = (d.meta && d.meta.title) || d.url;
        li.appendChild(a);
        var meta = document.createElement("span");
        meta.className = "pf-meta";
        var f = d.filters || {};
        meta.textContent = " " + [f["地区"], f["部门"], f["年度"], f["类别"]].map(function (v) {
          return v ? v.join("、") : "";
        }).filter(Boolean).join(" · ");
        li.appendChild(meta);
        var p = document.createElement("p");
        p.textContent = text(d.excerpt || "");
        li.appendChild(p);
        list.appendChild(li);
      });
    });
  }

  function search(event) {
    if (event) event.preventDefault();
    var q = input.value.trim();
    var filters = chosen();
    if (!q && !Object.keys(filters).length) { status.textContent = "请输入关键词。"; list.textContent = ""; return; }
    status.textContent = "正在检索…";
    load().then(function (pf) {
      return pf.search(q || null, { filters: filters }).then(function (res) {
        status.textContent = res.results.length ? "找到 " + res.results.length + " 条结果" : "未找到相关的公开信息";
        return show(res.results);
      });
    }).catch(function () { status.textContent = "检索暂时无法使用，请稍后再试。"; });
  }

  form.addEventListener("submit", search);
  selects.forEach(function (s) { s.addEventListener("change", function () { if (input.value.trim()) search(); }); });
  load().then(fillFilters).catch(function () { status.textContent = "检索暂时无法使用，请稍后再试。"; });
})();
