// The statistics dashboard's charts (ECharts, vendored): drawn from the page's JSON endpoint beside
// the server-rendered tables, which stay the accessible version (the charts are aria-hidden). Clicking
// a prefecture on the map (or its name in the table) loads that prefecture's table by county.
(function () {
  "use strict";

  var COLOURS = ["#b71c1c", "#1565c0", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#5d4037"];
  var MINUS = "\u2212";

  // 5,840 and −3,070 in every language, as the server writes them
  function thousands(n) {
    var text = Math.abs(Number(n)).toLocaleString("en-US");
    return Number(n) < 0 ? MINUS + text : text;
  }

  function isPhone() {
    return window.matchMedia && window.matchMedia("(max-width: 600px)").matches;
  }

  // a chart with nothing to draw says so, instead of empty axes
  function noData(c, root) {
    c.setOption({
      title: {
        text: root.dataset.noData || "",
        left: "center",
        top: "middle",
        textStyle: { fontSize: 14, fontWeight: "normal", color: "#5f6368" },
      },
    });
    return c;
  }

  function allZero(values) {
    return values.every(function (v) { return !v; });
  }

  function query(root, region) {
    var params = new URLSearchParams({
      year: root.dataset.year,
      region: region || root.dataset.region,
      figure: root.dataset.figure,
    });
    return root.dataset.url + "?" + params.toString();
  }

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) {
        throw new Error(String(r.status));
      }
      return r.json();
    });
  }

  function chart(id) {
    var el = document.getElementById(id);
    if (!el) {
      return null;
    }
    return window.echarts.init(el, null, { renderer: "canvas" });
  }

  function base() {
    return {
      animation: false,
      color: COLOURS,
      textStyle: { fontFamily: "'Noto Sans SC', system-ui, sans-serif" },
      // drawn on the canvas: an HTML tooltip's style attributes are refused by the page's CSP
      tooltip: { trigger: "item", renderMode: "richText" },
    };
  }

  function monthly(root, data) {
    var c = chart("monthly-chart");
    if (!c) {
      return null;
    }
    if (data.monthly.series.every(function (s) { return allZero(s.values); })) {
      return noData(c, root);
    }
    var option = base();
    option.tooltip = { trigger: "axis", renderMode: "richText" };
    option.legend = { top: 0 };
    option.grid = { left: 40, right: 40, top: 40, bottom: 30 };
    option.xAxis = { type: "category", data: data.monthly.months };
    option.yAxis = [
      { type: "value", minInterval: 1, axisLabel: { formatter: thousands } },
      { type: "value", minInterval: 1, splitLine: { show: false }, axisLabel: { formatter: thousands } },
    ];
    option.tooltip.valueFormatter = thousands;
    option.series = data.monthly.series.map(function (s, i) {
      return {
        name: s.label,
        type: i === 0 ? "bar" : "line",
        yAxisIndex: i === 0 ? 0 : 1,
        data: s.values,
      };
    });
    c.setOption(option);
    return c;
  }

  function breakdown(root, table) {
    var c = chart(table.id + "-chart");
    if (!c) {
      return null;
    }
    if (allZero(table.rows.map(function (r) { return r.value; }))) {
      return noData(c, root);
    }
    var rows = table.rows.slice(0, 12).reverse();
    var option = base();
    option.grid = { left: 8, right: 40, top: 10, bottom: 10, containLabel: true };
    option.xAxis = { type: "value", minInterval: 1, axisLabel: { formatter: thousands } };
    option.tooltip.valueFormatter = thousands;
    option.yAxis = {
      type: "category",
      data: rows.map(function (r) { return r.label; }),
      axisLabel: { width: 140, overflow: "truncate" },
    };
    option.series = [{
      type: "bar",
      name: table.value_label,
      data: rows.map(function (r) { return r.value; }),
      label: { show: true, position: "right", formatter: function (p) { return thousands(p.value); } },
    }];
    c.setOption(option);
    return c;
  }

  function fillCounties(root, data) {
    var section = document.getElementById("county-section");
    var body = document.querySelector("#county-table tbody");
    if (!section || !body) {
      return;
    }
    body.textContent = "";
    data.counties.forEach(function (row) {
      var tr = document.createElement("tr");
      var th = document.createElement("th");
      th.scope = "row";
      th.textContent = row.name;
      var td = document.createElement("td");
      td.className = "num";
      td.textContent = thousands(row.value);
      tr.appendChild(th);
      tr.appendChild(td);
      body.appendChild(tr);
    });
    document.getElementById("county-title").textContent = root.dataset.countyTitle
      .replace("__NAME__", data.region.name)
      .replace("__FIGURE__", data.figure.label);
    document.getElementById("county-value-head").textContent = data.figure.label;
    section.hidden = false;
    section.setAttribute("data-region", data.region.code);
  }

  function drill(root, code) {
    return getJson(query(root, code)).then(function (data) {
      fillCounties(root, data);
      var section = document.getElementById("county-section");
      if (section && section.scrollIntoView) {
        section.scrollIntoView({ block: "nearest" });
      }
    });
  }

  function map(root, data, geo) {
    var c = chart("map-chart");
    if (!c) {
      return null;
    }
    window.echarts.registerMap("yunnan", geo);
    var values = data.prefectures.map(function (p) { return p.value; });
    var byName = {};
    data.prefectures.forEach(function (p) { byName[p.name] = p.code; });
    var most = Math.max.apply(null, values.concat([0]));
    var option = base();
    option.tooltip.valueFormatter = thousands;
    if (most > 0) {
      option.visualMap = {
        min: 0,
        max: most,
        left: 0,
        bottom: 0,
        calculable: false,
        inRange: { color: ["#fde9e7", "#e57373", "#b71c1c"] },
        text: [thousands(most), "0"],
      };
    } else {
      // nothing to colour: no "0 to 0" legend, a plain map and the words
      option.title = {
        text: root.dataset.noData || "",
        left: "center",
        top: 0,
        textStyle: { fontSize: 14, fontWeight: "normal", color: "#5f6368" },
      };
    }
    option.series = [{
      type: "map",
      map: "yunnan",
      name: data.figure.label,
      roam: false,
      top: most > 0 ? 10 : 36,
      bottom: 10,
      left: 60,
      right: 10,
      // names only on hover (they overlapped: 红河/文山, 怒江/大理); the table beside carries them
      label: { show: false },
      emphasis: { label: { show: true, fontSize: isPhone() ? 10 : 12 } },
      selectedMode: "single",
      data: data.prefectures.map(function (p) { return { name: p.name, value: p.value, code: p.code }; }),
    }];
    c.setOption(option);
    c.on("click", function (params) {
      var code = byName[params.name];
      if (code) {
        drill(root, code);
      }
    });
    return c;
  }

  function start() {
    var root = document.getElementById("dash");
    if (!root || !window.echarts) {
      return;
    }
    var charts = [];
    var mapWanted = !!document.getElementById("map-chart");
    var geo = mapWanted ? getJson(root.dataset.map) : Promise.resolve(null);
    Promise.all([getJson(query(root)), geo]).then(function (got) {
      var data = got[0];
      charts.push(monthly(root, data));
      if (mapWanted) {
        charts.push(map(root, data, got[1]));
      }
      data.breakdowns.forEach(function (t) { charts.push(breakdown(root, t)); });
      root.setAttribute("data-ready", "1");
    }).catch(function () {
      root.setAttribute("data-ready", "failed");  // the tables stay: they hold every number
    });
    document.querySelectorAll("#map-table a[data-prefecture]").forEach(function (a) {
      a.addEventListener("click", function (event) {
        event.preventDefault();
        drill(root, a.getAttribute("data-prefecture"));
      });
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { if (c) { c.resize(); } });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
