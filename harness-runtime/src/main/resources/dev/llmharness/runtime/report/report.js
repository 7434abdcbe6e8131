// Draws the charts of an LLM Harness report with uPlot from the JSON in #llmh-data.
// window.llmhCharts lists what was drawn (id, series, points) for tests and for curious readers.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('llmh-data').textContent);
  var colors = ['#1f6fb4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];
  var dashes = [null, [6, 4], [2, 3]];
  window.llmhCharts = [];

  // Labels only the decades (0%, 90%, 99%, 99.9%...): the minor ticks between them stay bare.
  function decadeLabel(x) {
    var e = Math.log10(x);
    return Math.abs(e - Math.round(e)) < 1e-9 ? percentLabel(x) : '';
  }

  function percentLabel(x) {
    if (x <= 1) { return '0%'; }
    return String(+(100 * (1 - 1 / x)).toPrecision(6)) + '%';
  }

  function number(v) {
    if (v == null) { return '-'; }
    return String(+v.toPrecision(4));
  }

  data.charts.forEach(function (c) {
    var el = document.getElementById('chart-' + c.id);
    var meta = { id: c.id, series: c.series.length, points: c.x.length, drawn: false };
    if (c.x.length === 0) {
      el.className += ' empty';
      el.textContent = c.title + ': no data';
    } else {
      var logX = c.kind === 'percentile' || c.kind === 'cdf';
      var opts = {
        title: c.title,
        width: 560,
        height: 260,
        scales: { x: { time: false, distr: logX ? 3 : 1 } },
        axes: [
          { label: c.xLabel, values: c.kind === 'percentile'
              ? function (u, splits) { return splits.map(decadeLabel); } : undefined },
          { label: c.yLabel, size: 60 }
        ],
        series: [{ label: c.kind === 'percentile' ? 'percentile' : c.xLabel,
                   value: c.kind === 'percentile' ? function (u, v) { return v == null ? '-' : percentLabel(v); }
                                                  : function (u, v) { return number(v); } }],
        legend: { live: true }
      };
      c.series.forEach(function (s) {
        opts.series.push({
          label: s.label,
          stroke: colors[s.color % colors.length],
          dash: dashes[s.dash % dashes.length] || undefined,
          width: 1.5,
          points: { show: c.x.length < 30 },
          value: function (u, v) { return number(v); }
        });
      });
      var u = new uPlot(opts, [c.x].concat(c.series.map(function (s) { return s.values; })), el);
      meta.series = u.series.length - 1;
      meta.points = u.data[0].length;
      meta.drawn = el.querySelector('canvas') !== null;
    }
    el.setAttribute('data-series', String(meta.series));
    el.setAttribute('data-points', String(meta.points));
    window.llmhCharts.push(meta);
  });
  document.body.setAttribute('data-charts-ready', 'true');
})();
