// The search page (issue 19), on Pagefind's JavaScript API, served from this site: no external
// request, no inline script. What it adds to Pagefind, and why (measured in Chromium):
// - Chinese queries are split into the index's own words (the vocabulary files written beside the
//   index by generator/site/search_keys.py), not by the browser's segmenter, which splits 监控 into
//   监 + 控 where the index holds 监控. A phrase must stand in a page as consecutive words.
// - Every word typed must match (AND). When one matches nothing, the page says so and lists,
//   labelled as such, the results for the words that did match; a word is never dropped silently.
// - Numbers are searched as one normalised token (12,680.00 = 12680 = 12680.00 → n12680n).
// - Filters (部门 / 年度 / 类别) work without a keyword, with counts; the state is in the URL.
// - Several Pagefind bundles (data-bundles="a/,b/") are searched as one (mergeIndex).
(function () {
  "use strict";
  var form = document.getElementById("dc-search");
  if (!form) return;
  var root = new URL(form.getAttribute("data-root") || "../", document.baseURI);
  var bundles = (form.getAttribute("data-bundles") || "pagefind/").split(",")
    .map(function (b) { return new URL(b.trim(), root).pathname; });
  var input = document.getElementById("dc-search-input");
  var sortSelect = document.getElementById("dc-search-sort");
  var filterSelects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var statusEl = document.getElementById("dc-search-status");
  var partialEl = document.getElementById("dc-search-partial");
  var list = document.getElementById("dc-search-results");
  var more = document.getElementById("dc-search-more");
  var PAGE = 10;
  // Every indexed page carries this word (its search keys start with it). Listing pages by a filter
  // or by date searches for it, not for nothing: Pagefind answers a search for nothing by loading
  // every index chunk (10,000 records: 261 chunks, 7.3 MB) before the first query.
  var SENTINEL = "dcsearchkeys";
  var CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
  var PARTS = /([a-z][a-z0-9_]*)|(\d+(?:\.\d+)?)|([\u3400-\u9fff\uf900-\ufaff]+)/g;
  // As NUMBER in generator/site/search_keys.py: thousands separators only in groups of three.
  var NUMBER = /(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?/g;
  var VOCAB_BUCKETS = 256;

  var engine = null;
  var bundleOf = new Map();  // page id -> index of its bundle (several bundles only)
  var BUNDLE_FILTER = "_bundle";
  var tokenCache = new Map();
  var vocabCache = new Map();
  var filterSets = null;   // {filter: {value: Set(ids)}}
  var dateOrder = null;    // Map(id -> rank), newest first
  var current = null;      // the list shown: {ids, words, shown, raw}
  var generation = 0;
  var shownKey = null;     // stateKey() of the list shown

  function numberToken(printed) {
    var parts = printed.replace(/,/g, "").split(".");
    var whole = parts[0].replace(/^0+/, "") || "0";
    var frac = (parts[1] || "").replace(/0+$/, "");
    return frac ? "n" + whole + "p" + frac + "n" : "n" + whole + "n";
  }

  function normalise(q) {
    return q.normalize("NFKC").toLowerCase().replace(/(\d),(?=\d{3}(?!\d))/g, "$1").trim();
  }

  // The words as typed: split at spaces and punctuation that is not inside a number.
  function typedTerms(q) {
    return normalise(q).split(/[\s，,、；;。！!？?“”"'‘’（）()《》〈〉【】\[\]{}<>:：·|｜/\\+]+/)
      .filter(function (t) { return /[\p{L}\p{N}]/u.test(t); });
  }

  function partsOf(term) {
    var out = [];
    var m;
    PARTS.lastIndex = 0;
    while ((m = PARTS.exec(term))) {
      if (m[1]) out.push({type: "word", text: m[1]});
      else if (m[2]) out.push({type: "num", text: m[2]});
      else out.push({type: "cjk", text: m[3]});
    }
    return out;
  }

  async function openEngine() {
    var pagefind = await import(bundles[0] + "pagefind.js");
    // Pagefind splits a query with the browser's word segmenter when the page's language is
    // Chinese; this page does its own splitting, so Pagefind is told a language it leaves alone.
    var html = document.documentElement;
    var lang = html.getAttribute("lang");
    html.setAttribute("lang", "und");
    var inst;
    var several = bundles.length > 1;
    try {
      inst = pagefind.createInstance({basePath: bundles[0], baseUrl: root.pathname});
    } finally {
      html.setAttribute("lang", lang);
    }
    // Each bundle's pages carry a filter naming the bundle, to know which bundle answered.
    if (several) await inst.options({mergeFilter: {_bundle: "0"}});
    for (var i = 1; i < bundles.length; i++) {
      await inst.mergeIndex(bundles[i], {language: "und", mergeFilter: {_bundle: String(i)}});
    }
    await inst.init();
    if (several) {
      await Promise.all(bundles.map(function (_, k) {
        var f = {};
        f[BUNDLE_FILTER] = String(k);
        return inst.search(SENTINEL, {filters: f}).then(function (r) {
          r.results.forEach(function (x) { bundleOf.set(x.id, k); });
        });
      }));
    }
    return inst;
  }

  // All pages holding a word that starts with `token`: Map(id -> Pagefind result). Pagefind answers
  // a word a bundle lacks with the longest word it has that begins it (绩效监控 → 绩效): a word
  // is asked only of the bundles whose vocabulary has it (numbers: n12680n cannot be confused so).
  function tokenPages(token) {
    if (!tokenCache.has(token)) {
      var pending = (async function () {
        var has = /^(n\d+(p\d+)?n|\d+)$/.test(token) ? null : await bundlesHaving(token);
        var m = new Map();
        if (has && !has.size) return m;
        var r = await engine.search(token);
        (r ? r.results : []).forEach(function (x) {
          if (!has || has.has(bundleOf.get(x.id) || 0)) m.set(x.id, x);
        });
        // The vocabulary says some page holds the word, Pagefind found none: one of its index files
        // did not arrive (Pagefind logs that and carries on). Say so; never answer "not found".
        if (has && !m.size) throw new IndexIncomplete(token);
        return m;
      })();
      // A failure is not remembered: the next search asks again.
      tokenCache.set(token, pending.catch(function (err) { tokenCache.delete(token); throw err; }));
    }
    return tokenCache.get(token);
  }

  function IndexIncomplete(what) {
    this.message = "index incomplete: " + what;
  }

  function bucketName(c) {
    return (c.codePointAt(0) % VOCAB_BUCKETS).toString(16).padStart(2, "0");
  }

  // One vocabulary file of every bundle: [[words of bundle 0], [words of bundle 1], …].
  // A vocabulary file that failed to arrive (a slow or dropped connection) is asked again and is
  // never taken as empty: an empty vocabulary would make the query find nothing, silently.
  function fetchVocab(url, retries) {
    return fetch(url).then(function (r) {
      if (r.ok) return r.json();
      if (r.status === 404) return [];
      throw new Error(String(r.status));
    }).catch(function (err) {
      if (retries > 0) {
        return new Promise(function (ok) { setTimeout(ok, 300); }).then(function () { return fetchVocab(url, retries - 1); });
      }
      throw err;
    });
  }

  function vocabBucket(name) {
    if (!vocabCache.has(name)) {
      var pending = Promise.all(bundles.map(function (b) { return fetchVocab(b + "dc-vocab/" + name + ".json", 2); }));
      vocabCache.set(name, pending.catch(function (err) { vocabCache.delete(name); throw err; }));
    }
    return vocabCache.get(name);
  }

  async function bundlesHaving(token) {
    var lists = await vocabBucket(bucketName(Array.from(token)[0]));
    var out = new Set();
    lists.forEach(function (words, i) {
      if (words.some(function (w) { return w.startsWith(token); })) out.add(i);
    });
    return out;
  }

  async function vocabFor(chars) {
    var names = new Set(chars.map(bucketName));
    var lists = await Promise.all(Array.from(names).map(vocabBucket));
    var all = new Set();
    lists.forEach(function (perBundle) { perBundle.forEach(function (ws) { ws.forEach(function (w) { all.add(w); }); }); });
    return Array.from(all);
  }

  // Where the Chinese phrase stands as consecutive index words: Map(id -> Set(position after it)).
  // `from` (Map(id -> Set(positions)) or null for anywhere) is where the phrase must begin; an
  // open start or end lets the phrase begin or end inside an index word (学生资助 in 困难学生|资助).
  async function phraseReach(text, from, openStart, openEnd, scores) {
    var chars = Array.from(text);
    var n = chars.length;
    var words = await vocabFor(chars);
    var spans = [];
    for (var i = 0; i < n; i++) {
      for (var j = i + 1; j <= n; j++) {
        var piece = chars.slice(i, j).join("");
        var left = i === 0 && openStart;
        var right = j === n && openEnd;
        // A word ending in the piece stands anywhere in the index (one chunk each): only pieces of two
        // characters or more may start inside a word. A word starting with it is Pagefind's own
        // prefix search, one request.
        var inside = piece.length > 1;
        var prefixed = false;
        words.forEach(function (w) {
          if (right && w.startsWith(piece)) prefixed = true;
          else if (w === piece) spans.push({i: i, j: j, word: w});
          else if (left && inside && (right ? w.indexOf(piece) > 0 : w.endsWith(piece))) spans.push({i: i, j: j, word: w});
        });
        if (prefixed) spans.push({i: i, j: j, word: piece});
      }
    }
    var reach = [from];
    for (var k = 1; k <= n; k++) reach.push(new Map());
    if (!spans.length) return new Map();
    var found = await Promise.all(spans.map(function (sp) { return tokenPages(sp.word); }));
    var order = spans.map(function (sp, idx) { return idx; }).sort(function (a, b) { return spans[a].i - spans[b].i; });
    order.forEach(function (idx) {
      var sp = spans[idx];
      var before = reach[sp.i];
      found[idx].forEach(function (res, id) {
        var prev = before ? before.get(id) : null;
        if (before && !prev) return;
        var after = reach[sp.j].get(id);
        res.words.forEach(function (p) {
          if (!prev || prev.has(p)) {
            if (!after) { after = new Set(); reach[sp.j].set(id, after); }
            after.add(p + 1);
          }
        });
        if (after && after.size) scores.set(id, (scores.get(id) || 0) + res.score);
      });
    });
    return reach[n];
  }

  // A run of Chinese and short whole numbers typed together (2025年, 12万亩) stands together on
  // the page: the number's own index word must come right before or after the Chinese.
  async function chainPages(units) {
    var reach = null;
    var scores = new Map();
    for (var k = 0; k < units.length; k++) {
      var u = units[k];
      if (u.type === "cjk") {
        reach = await phraseReach(u.text, reach, k === 0, k === units.length - 1, scores);
      } else {
        var tp = await tokenPages(u.text.replace(/^0+(?=\d)/, ""));
        var next = new Map();
        tp.forEach(function (res, id) {
          var prev = reach ? reach.get(id) : null;
          if (reach && !prev) return;
          var after = new Set();
          res.words.forEach(function (p) { if (!prev || prev.has(p)) after.add(p + 1); });
          if (after.size) { next.set(id, after); scores.set(id, (scores.get(id) || 0) + res.score); }
        });
        reach = next;
      }
      if (!reach.size) break;
    }
    var out = new Map();
    reach.forEach(function (_, id) { out.set(id, scores.get(id) || 0); });
    return out;
  }

  async function partPages(part) {
    if (part.type === "cjk") return chainPages([part]);
    var token = part.type === "num" ? numberToken(part.text) : part.text;
    var m = await tokenPages(token);
    var out = new Map();
    m.forEach(function (res, id) { out.set(id, res.score); });
    return out;
  }

  function intersect(maps) {
    if (!maps.length) return new Map();
    var out = new Map();
    maps[0].forEach(function (score, id) {
      var total = score;
      for (var i = 1; i < maps.length; i++) {
        if (!maps[i].has(id)) return;
        total += maps[i].get(id);
      }
      out.set(id, total);
    });
    return out;
  }

  function chainable(part) {
    return part.type === "cjk" || (part.type === "num" && /^\d{1,4}$/.test(part.text));
  }

  async function termPages(term) {
    var parts = partsOf(term);
    var chained = parts.some(function (p) { return p.type === "num"; }) && parts.every(chainable);
    // Typed together, they stand together (tried first: it asks the index for fewer words); when
    // they never do, every part on the page still counts.
    var tight = chained ? await chainPages(parts) : new Map();
    var loose = intersect(await Promise.all(parts.map(function (p) {
      return p.type === "cjk" && tight.size ? Promise.resolve(tight) : partPages(p);
    })));
    if (!tight.size) return loose;
    var out = new Map();
    tight.forEach(function (_, id) { if (loose.has(id)) out.set(id, loose.get(id)); });
    return out.size ? out : loose;
  }

  // The words inside a typed term that match nothing: the term split at the index's words, greedily.
  async function pieces(term) {
    var out = [];
    var parts = partsOf(term);
    for (var p = 0; p < parts.length; p++) {
      var part = parts[p];
      if (part.type !== "cjk") { out.push(part.text); continue; }
      var chars = Array.from(part.text);
      var words = new Set(await vocabFor(chars));
      var unknown = "";
      for (var i = 0; i < chars.length;) {
        var len = 0;
        for (var j = chars.length; j > i; j--) {
          if (words.has(chars.slice(i, j).join(""))) { len = j - i; break; }
        }
        if (len) {
          if (unknown) { out.push(unknown); unknown = ""; }
          out.push(chars.slice(i, i + len).join(""));
          i += len;
        } else {
          unknown += chars[i];
          i += 1;
        }
      }
      if (unknown) out.push(unknown);
    }
    return out;
  }

  async function loadFilters(engine) {
    var counts = await engine.filters();
    var sets = {};
    var jobs = [];
    Object.keys(counts).forEach(function (name) {
      if (name === BUNDLE_FILTER) return;
      sets[name] = {};
      Object.keys(counts[name]).forEach(function (value) {
        var f = {};
        f[name] = value;
        jobs.push(engine.search(SENTINEL, {filters: f}).then(function (r) {
          sets[name][value] = new Set(r.results.map(function (x) { return x.id; }));
        }));
      });
    });
    var byDate = engine.search(SENTINEL, {sort: {date: "desc"}}).then(function (r) {
      dateOrder = new Map();
      r.results.forEach(function (x, i) { dateOrder.set(x.id, i); });
    });
    await Promise.all(jobs.concat([byDate]));
    filterSets = sets;
  }

  function chosenFilters() {
    var out = {};
    filterSelects.forEach(function (s) { if (s.value) out[s.getAttribute("data-filter")] = s.value; });
    return out;
  }

  function inFilters(id, chosen, except) {
    for (var name in chosen) {
      if (name === except) continue;
      var set = filterSets[name] && filterSets[name][chosen[name]];
      if (!set || !set.has(id)) return false;
    }
    return true;
  }


  // Options read "内蒙古自治区教育厅（12）": how many of the current results each value keeps.
  function updateFilterOptions(base, chosen) {
    filterSelects.forEach(function (select) {
      var name = select.getAttribute("data-filter");
      var values = Object.keys(filterSets[name] || {}).sort(function (a, b) {
        return name === "年度" ? b.localeCompare(a) : a.localeCompare(b, "zh-CN");
      });
      var keep = select.value;
      var first = select.options[0];
      while (select.options.length > 1) select.remove(1);
      var total = 0;
      values.forEach(function (value) {
        var count = 0;
        base.forEach(function (_, id) {
          if (filterSets[name][value].has(id) && inFilters(id, chosen, name)) count++;
        });
        total += count;
        var opt = document.createElement("option");
        opt.value = value;
        opt.textContent = value + "（" + count + "）";
        select.appendChild(opt);
      });
      first.textContent = first.textContent.replace(/（\d+）$/, "") + "（" + total + "）";
      select.value = keep;
      if (select.value !== keep) select.value = "";
    });
  }

  function rank(ids, scores, byDate) {
    return ids.sort(function (a, b) {
      if (byDate) {
        var da = dateOrder.has(a) ? dateOrder.get(a) : Infinity;
        var db = dateOrder.has(b) ? dateOrder.get(b) : Infinity;
        if (da !== db) return da - db;
      }
      return (scores.get(b) || 0) - (scores.get(a) || 0) || (a < b ? -1 : a > b ? 1 : 0);
    });
  }

  // Every page once (a search without a term): the ids to browse and each page's data.
  var everyPage = null;
  function pagesById() {
    if (!everyPage) {
      everyPage = engine.search(SENTINEL, {}).then(function (r) {
        var m = new Map();
        r.results.forEach(function (x) { m.set(x.id, x); });
        return m;
      });
    }
    return everyPage;
  }

  async function dataFor(id) {
    var all = await pagesById();
    return all.has(id) ? all.get(id).data() : null;
  }

  // The page's text without Pagefind's sentence stops between table cells and without the keys.
  function cleanText(content, title) {
    var text = content.replace(/\u200b/g, "");
    if (title && text.indexOf(title) === 0) text = text.slice(title.length);
    var cut = text.indexOf(SENTINEL);
    if (cut >= 0) text = text.slice(0, cut);
    return text.replace(/\.(\s|$)/g, " ｜ ").replace(/(\s*｜\s*)+/g, " ｜ ").replace(/\s+/g, " ")
      .replace(/^[\s｜]+|[\s｜]+$/g, "");
  }

  // Where the query's words stand in the text: [start, end) pairs, numbers matched by value.
  function hits(text, words) {
    var out = [];
    words.forEach(function (w) {
      if (/^\d/.test(w)) {
        var token = numberToken(w);
        var m;
        NUMBER.lastIndex = 0;
        while ((m = NUMBER.exec(text))) {
          var before = text.charAt(m.index - 1);
          if (/[\d.]/.test(before)) continue;
          if (numberToken(m[0]) === token) out.push([m.index, m.index + m[0].length]);
        }
      } else if (w) {
        var lower = text.toLowerCase();
        for (var at = lower.indexOf(w); at >= 0; at = lower.indexOf(w, at + w.length)) out.push([at, at + w.length]);
      }
    });
    return out.sort(function (a, b) { return a[0] - b[0]; });
  }

  function excerpt(text, words) {
    var found = hits(text, words);
    var start = found.length ? Math.max(0, found[0][0] - 40) : 0;
    var end = Math.min(text.length, start + 140);
    var p = document.createElement("p");
    p.className = "dc-search-excerpt";
    if (start > 0) p.appendChild(document.createTextNode("…"));
    var at = start;
    found.forEach(function (h) {
      if (h[0] < at || h[1] > end) return;
      p.appendChild(document.createTextNode(text.slice(at, h[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(h[0], h[1]);
      p.appendChild(mark);
      at = h[1];
    });
    p.appendChild(document.createTextNode(text.slice(at, end)));
    if (end < text.length) p.appendChild(document.createTextNode("…"));
    return p;
  }

  function renderResult(data, words) {
    var li = document.createElement("li");
    li.className = "dc-search-result";
    var h = document.createElement("h2");
    var a = document.createElement("a");
    a.className = "dc-search-link";
    a.href = data.url;
    a.textContent = (data.meta && data.meta.title) || data.url;
    h.appendChild(a);
    li.appendChild(h);
    var meta = document.createElement("p");
    meta.className = "dc-search-meta";
    var f = data.filters || {};
    var bits = [];
    [["类别", f["类别"]], ["部门", f["部门"]], ["年度", f["年度"]]].forEach(function (pair) {
      if (pair[1] && pair[1].length) bits.push([pair[0], pair[1].join("、")]);
    });
    if (data.meta && data.meta.date) bits.push(["公开日期", data.meta.date]);
    bits.forEach(function (b, i) {
      if (i) meta.appendChild(document.createTextNode(" · "));
      var span = document.createElement("span");
      span.setAttribute("data-field", b[0]);
      span.textContent = b[1];
      span.title = b[0];
      meta.appendChild(span);
    });
    li.appendChild(meta);
    li.appendChild(excerpt(cleanText(data.content || "", data.meta && data.meta.title), words));
    return li;
  }

  // The next page of results: `view` is a new result list, drawn in one step once the first page
  // has arrived, so the list never stands half drawn or empty for a query that has results.
  async function showMore(view) {
    var target = view || current;
    if (!target) return;
    var gen = generation;
    var next = target.ids.slice(target.shown, target.shown + PAGE);
    var datas = await Promise.all(next.map(dataFor));
    if (gen !== generation) return;
    // Pagefind answered with a page it cannot show: an index file did not arrive.
    if (datas.some(function (d) { return !d; })) throw new IndexIncomplete("page data");
    var items = datas.map(function (d) { return renderResult(d, target.words); });
    if (view) {
      view.draw();
      current = view;
      shownKey = view.key;
      list.replaceChildren.apply(list, items);
    } else {
      items.forEach(function (li) { list.appendChild(li); });
    }
    current.shown += next.length;
    more.hidden = current.shown >= current.ids.length;
    done(current.raw);
  }

  // The exact title first, then titles holding the whole query, then Pagefind's score.
  async function titleFirst(ids, scores, query) {
    var head = ids.slice(0, PAGE);
    var datas = await Promise.all(head.map(dataFor));
    var q = query.replace(/\s+/g, "");
    var tier = new Map();
    head.forEach(function (id, i) {
      var t = normalise(((datas[i] && datas[i].meta && datas[i].meta.title) || "")).replace(/\s+/g, "");
      tier.set(id, t === q ? 0 : t.indexOf(q) >= 0 ? 1 : 2);
    });
    var sortedHead = head.slice().sort(function (a, b) {
      return (tier.get(a) - tier.get(b)) || (scores.get(b) || 0) - (scores.get(a) || 0) || (a < b ? -1 : a > b ? 1 : 0);
    });
    return sortedHead.concat(ids.slice(PAGE));
  }

  function writeUrl(q) {
    var params = new URLSearchParams();
    if (q) params.set("q", q);
    filterSelects.forEach(function (s) { if (s.value) params.set(s.name, s.value); });
    if (sortSelect.value) params.set("sort", sortSelect.value);
    var qs = params.toString();
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : ""));
  }

  function readUrl() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    filterSelects.forEach(function (s) {
      var v = params.get(s.name);
      if (v) {
        if (![].some.call(s.options, function (o) { return o.value === v; })) {
          var opt = document.createElement("option");
          opt.value = v;
          opt.textContent = v;
          s.appendChild(opt);
        }
        s.value = v;
      }
    });
    sortSelect.value = params.get("sort") === "date" ? "date" : "";
  }

  // Tests and assistive tools read the finished state: which query the list shows.
  function done(query) {
    list.setAttribute("data-query", query);
    list.setAttribute("data-state", "done");
  }

  function say(text) {
    statusEl.textContent = text;
  }

  // A search that fails says so and names no result: an empty list would read as "nothing published".
  function failed(gen, raw) {
    return function (err) {
      if (gen !== generation) return;
      say(err instanceof IndexIncomplete ? "检索索引未能完整加载，请刷新页面后重试，或按部门、栏目浏览。"
        : "检索出错，请刷新页面后重试，或按部门、栏目浏览。");
      list.setAttribute("data-query", raw);
      list.setAttribute("data-state", "error");
    };
  }

  function run() {
    var running = search();  // takes the next generation at once, before its first await
    return running.catch(failed(generation, input.value.trim()));
  }

  // What a result list answers: the query, the filters and the order.
  function stateKey() {
    return JSON.stringify([input.value.trim(), chosenFilters(), sortSelect.value]);
  }

  async function search() {
    var key = stateKey();
    // The list already answers exactly this (the first run, once the index is in, answered what was
    // typed while it loaded): running again would only redraw it.
    if (key === shownKey && list.getAttribute("data-state") === "done") return;
    var gen = ++generation;
    var raw = input.value.trim();
    var chosen = chosenFilters();
    writeUrl(raw);
    list.setAttribute("data-state", "busy");
    if (!engine) return;
    var terms = typedTerms(raw);
    await pagesById();
    var matched = null;
    var partial = null;
    var words = [];
    if (terms.length) {
      var perTerm = await Promise.all(terms.map(termPages));
      if (gen !== generation) return;
      matched = intersect(perTerm);
      words = terms;
      if (!matched.size) {
        // Which words match: every word of a term that matched nothing is tried on its own.
        var found = [];
        var foundMaps = [];
        var notFound = [];
        for (var i = 0; i < terms.length; i++) {
          if (perTerm[i].size) { found.push(terms[i]); foundMaps.push(perTerm[i]); continue; }
          var ps = await pieces(terms[i]);
          for (var k = 0; k < ps.length; k++) {
            var m = await termPages(ps[k]);
            if (m.size) { found.push(ps[k]); foundMaps.push(m); } else notFound.push(ps[k]);
          }
        }
        if (gen !== generation) return;
        // Pages with the most of the words that matched, then by score.
        partial = new Map();
        foundMaps.forEach(function (m) {
          m.forEach(function (score, id) { partial.set(id, (partial.get(id) || 0) + 1000 + score); });
        });
        partial.missing = notFound;
        partial.found = found;
        words = found;
      }
    }
    var base;
    if (!terms.length) {
      base = new Map();
      (await pagesById()).forEach(function (_, id) { base.set(id, 0); });
    } else {
      base = partial || matched;
    }
    var scores = base;
    var ids = [];
    base.forEach(function (_, id) { if (inFilters(id, chosen)) ids.push(id); });
    var byDate = sortSelect.value === "date" || !terms.length;
    ids = rank(ids, scores, byDate);
    if (terms.length && !partial && !byDate) ids = await titleFirst(ids, scores, normalise(raw));
    if (gen !== generation) return;
    var view = {ids: ids, words: words.map(normalise), shown: 0, raw: raw, key: key, draw: function () {
      updateFilterOptions(base, chosen);
      describe(raw, terms, ids, partial, Object.keys(chosen).length);
    }};
    if (!ids.length || (!terms.length && !Object.keys(chosen).length)) {
      view.draw();
      list.textContent = "";
      more.hidden = true;
      current = null;
      shownKey = key;
      done(raw);
      return;
    }
    await showMore(view);
  }

  // The status line and the partial-match note for a result list.
  function describe(raw, terms, ids, partial, filtered) {
    partialEl.hidden = true;
    partialEl.textContent = "";
    if (!terms.length && !filtered) {
      say("请输入关键词，或选择部门、年度、类别浏览。共 " + ids.length + " 条公开信息。");
      list.removeAttribute("data-match");
      return;
    }
    if (partial) {
      say("未找到与“" + raw + "”完全匹配的信息");
      list.setAttribute("data-match", "partial");
      if (partial.found.length && ids.length) {
        partialEl.hidden = false;
        partialEl.textContent = "以下 " + ids.length + " 条结果只包含部分词语（" +
          partial.found.map(function (w) { return "“" + w + "”"; }).join("") + "）" +
          (partial.missing.length ? "，不包含“" + partial.missing.join("”“") + "”" : "，没有一条同时包含全部词语") + "：";
      }
    } else {
      list.setAttribute("data-match", "full");
      if (!terms.length) say("共 " + ids.length + " 条符合筛选条件的公开信息");
      else if (!ids.length) say("未找到与“" + raw + "”相关的公开信息");
      else say("找到 " + ids.length + " 条与“" + raw + "”相关的结果");
    }
  }

  var timer = null;
  function schedule() {
    // A run still in flight answers a query that is no longer typed: it must not mark the list done.
    generation++;
    list.setAttribute("data-state", "busy");
    clearTimeout(timer);
    timer = setTimeout(run, 250);
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); run(); });
  input.addEventListener("input", schedule);
  filterSelects.concat([sortSelect]).forEach(function (s) { s.addEventListener("change", run); });
  more.addEventListener("click", function () {
    showMore().catch(failed(generation, current ? current.raw : ""));
  });
  window.addEventListener("popstate", function () { readUrl(); run(); });

  readUrl();
  say("正在加载检索索引…");
  // `engine` is set only once the filters and the date order are in: a search typed while they load
  // waits for this first run instead of rendering a list that this run would then redraw.
  openEngine().then(function (inst) {
    return loadFilters(inst).then(function () { engine = inst; });
  }).then(run).catch(function () {
    say("检索索引加载失败，请稍后重试，或按部门、栏目浏览。");
    list.setAttribute("data-state", "error");
  });
})();
