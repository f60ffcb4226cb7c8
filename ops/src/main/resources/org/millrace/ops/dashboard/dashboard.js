// The live dashboard: charts fed by the server-sent events of /dashboard/events
// ("history" once per connection, then one "tick" per sample). Chart.js is served by Millrace.
(function () {
  'use strict';

  const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];
  const MAX_TIME_POINTS = 1800;

  function fmtCount(n) {
    if (n === null || n === undefined) return '–';
    const a = Math.abs(n);
    if (a >= 1e9) return (n / 1e9).toFixed(2) + 'G';
    if (a >= 1e6) return (n / 1e6).toFixed(2) + 'M';
    if (a >= 1e4) return (n / 1e3).toFixed(1) + 'k';
    return Number.isInteger(n) ? String(n) : n.toFixed(1);
  }

  function fmtBytes(n) {
    if (n === null || n === undefined) return '–';
    if (n >= 1 << 30) return (n / (1 << 30)).toFixed(2) + ' GiB';
    if (n >= 1 << 20) return (n / (1 << 20)).toFixed(0) + ' MiB';
    return (n / 1024).toFixed(0) + ' KiB';
  }

  function fmtTime(ms) {
    return new Date(ms).toLocaleTimeString([], {hour12: false});
  }

  function baseOptions(xTitle, xIsTime) {
    return {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: {mode: 'nearest', intersect: false},
      plugins: {legend: {labels: {boxWidth: 10, font: {size: 11}}}},
      elements: {point: {radius: 0}, line: {borderWidth: 2, tension: 0.15}},
      scales: {
        x: {type: 'linear', title: {display: true, text: xTitle},
            ticks: {maxTicksLimit: 6, callback: xIsTime ? (v) => fmtTime(v) : (v) => fmtCount(v)}},
        y: {beginAtZero: true, ticks: {callback: (v) => fmtCount(v)}}
      }
    };
  }

  function lineChart(id, xTitle, xIsTime, extra) {
    const options = baseOptions(xTitle, xIsTime);
    if (extra) extra(options);
    return new Chart(document.getElementById(id), {type: 'line', data: {datasets: []}, options: options});
  }

  const charts = {
    funnel: new Chart(document.getElementById('chart-funnel'), {
      type: 'bar',
      data: {labels: [], datasets: [
        {label: 'kept', data: [], backgroundColor: '#16a34a'},
        {label: 'dropped', data: [], backgroundColor: '#dc2626'},
        {label: 'modified', data: [], backgroundColor: '#d97706'}]},
      options: {animation: false, responsive: true, maintainAspectRatio: false, indexAxis: 'y',
        plugins: {legend: {labels: {boxWidth: 10, font: {size: 11}}}},
        scales: {x: {stacked: true, beginAtZero: true, ticks: {callback: (v) => fmtCount(v)}}, y: {stacked: true}}}
    }),
    throughput: lineChart('chart-throughput', 'time', true),
    lag: lineChart('chart-lag', 'time', true),
    loss: lineChart('chart-loss', 'step', false, (o) => {
      o.scales.y = {title: {display: true, text: 'loss'}, beginAtZero: false};
      o.scales.lr = {position: 'right', title: {display: true, text: 'learning rate'}, grid: {drawOnChartArea: false},
        ticks: {callback: (v) => Number(v).toExponential(1)}};
    }),
    tps: lineChart('chart-tps', 'time', true),
    eval: lineChart('chart-eval', 'training tokens', false, (o) => {
      o.scales.y.beginAtZero = false;
      o.elements.point.radius = 3;
    }),
    mixture: lineChart('chart-mixture', 'time', true, (o) => {
      o.scales.y = {stacked: true, min: 0, max: 1, ticks: {callback: (v) => Math.round(v * 100) + '%'}};
    })
  };

  function dataset(chart, label, extra) {
    let ds = chart.data.datasets.find((d) => d.label === label);
    if (!ds) {
      const color = PALETTE[chart.data.datasets.length % PALETTE.length];
      ds = Object.assign({label: label, data: [], borderColor: color, backgroundColor: color}, extra || {});
      chart.data.datasets.push(ds);
    }
    return ds;
  }

  function pushCapped(ds, point) {
    ds.data.push(point);
    if (ds.data.length > MAX_TIME_POINTS) ds.data.shift();
  }

  let lastStep = null;
  let lastEvalStep = null;

  function addStep(p) {
    if (p.step === lastStep) return;
    lastStep = p.step;
    if (p.loss !== null) dataset(charts.loss, 'loss').data.push({x: p.step, y: p.loss});
    if (p.learningRate !== null) {
      dataset(charts.loss, 'learning rate', {yAxisID: 'lr', borderDash: [4, 3]}).data.push({x: p.step, y: p.learningRate});
    }
  }

  function addEval(e) {
    if (e.step === lastEvalStep) return;
    lastEvalStep = e.step;
    Object.keys(e.values).sort().forEach((name) => {
      const v = e.values[name];
      if (v !== null) dataset(charts.eval, name).data.push({x: e.tokens, y: v});
    });
  }

  // replay: a tick of the history, whose steps and evaluations came in the history's own lists
  function addTick(t, replay) {
    const x = t.time;
    const th = t.throughput;
    [['documents in', th.documentsIn], ['curated', th.curated], ['batches', th.batches]].forEach(([name, v]) => {
      if (v !== null) pushCapped(dataset(charts.throughput, name), {x: x, y: v});
    });
    Object.keys(t.lag).forEach((name) => pushCapped(dataset(charts.lag, name), {x: x, y: t.lag[name]}));
    if (t.train) {
      if (!replay) addStep({step: t.train.step, loss: t.train.loss, learningRate: t.train.learningRate});
      if (t.train.tokensPerSecond !== null) pushCapped(dataset(charts.tps, 'trainer (last steps)'), {x: x, y: t.train.tokensPerSecond});
    }
    if (th.trainTokens !== null) pushCapped(dataset(charts.tps, 'consumed (5 s window)', {borderDash: [4, 3]}), {x: x, y: th.trainTokens});
    addMixture(x, t.mixture);
    if (t.eval && !replay) addEval(t.eval);
    showFunnel(t.funnel);
    showStats(t);
    showCluster(t.cluster);
    window.millrace.ticks += 1;
  }

  // Stacked areas need a value of every bucket at every time: a bucket seen late starts with zeros.
  const mixtureTimes = [];
  function addMixture(x, mixture) {
    const buckets = Object.keys(mixture);
    if (buckets.length === 0) return;
    buckets.sort().forEach((bucket) => {
      if (!charts.mixture.data.datasets.some((d) => d.label === bucket)) {
        dataset(charts.mixture, bucket, {fill: true}).data = mixtureTimes.map((t) => ({x: t, y: 0}));
      }
    });
    mixtureTimes.push(x);
    if (mixtureTimes.length > MAX_TIME_POINTS) mixtureTimes.shift();
    charts.mixture.data.datasets.forEach((d) => pushCapped(d, {x: x, y: mixture[d.label] || 0}));
  }

  function showFunnel(funnel) {
    const filters = Object.keys(funnel);
    charts.funnel.data.labels = filters;
    ['kept', 'dropped', 'modified'].forEach((k, i) => {
      charts.funnel.data.datasets[i].data = filters.map((f) => funnel[f][k]);
    });
  }

  function setText(id, text) {
    document.getElementById(id).textContent = text;
  }

  function showStats(t) {
    if (t.train) {
      setText('stat-step', fmtCount(t.train.step));
      setText('stat-loss', t.train.loss === null ? '–' : t.train.loss.toFixed(3));
      setText('stat-tokens', fmtCount(t.train.tokens));
      setText('stat-tps', t.train.tokensPerSecond === null ? '–' : fmtCount(Math.round(t.train.tokensPerSecond)));
    }
    setText('stat-heap', fmtBytes(t.memory.heapUsed));
    setText('stat-native', fmtBytes(t.memory.nativeEstimate));
  }

  function showCluster(cluster) {
    setText('cluster-mode', cluster.mode);
    const body = document.getElementById('members');
    body.replaceChildren(...cluster.members.map((m) => {
      const row = document.createElement('tr');
      [m.address, m.roles.join(', '), m.status, new Date(m.upSince).toLocaleString()].forEach((text) => {
        const cell = document.createElement('td');
        cell.textContent = text;
        row.appendChild(cell);
      });
      return row;
    }));
  }

  function reset() {
    Object.values(charts).forEach((c) => {
      if (c !== charts.funnel) c.data.datasets = [];
    });
    lastStep = null;
    lastEvalStep = null;
    mixtureTimes.length = 0;
  }

  // Time axes span the data itself (a linear axis would round its ends outwards to "nice" numbers).
  function fitTime(chart) {
    let min = Infinity;
    let max = -Infinity;
    chart.data.datasets.forEach((d) => {
      if (d.data.length) {
        min = Math.min(min, d.data[0].x);
        max = Math.max(max, d.data[d.data.length - 1].x);
      }
    });
    chart.options.scales.x.min = min < max ? min : undefined;
    chart.options.scales.x.max = min < max ? max : undefined;
  }

  function updateAll() {
    [charts.throughput, charts.lag, charts.tps, charts.mixture].forEach(fitTime);
    Object.values(charts).forEach((c) => c.update('none'));
  }

  window.millrace = {charts: charts, ticks: 0};

  const badge = document.getElementById('connection');
  const source = new EventSource('/dashboard/events');
  source.onopen = () => { badge.textContent = 'live'; badge.className = 'badge on'; };
  source.onerror = () => { badge.textContent = 'reconnecting…'; badge.className = 'badge off'; };
  source.addEventListener('history', (e) => {
    const h = JSON.parse(e.data);
    reset();
    h.steps.forEach(addStep);
    h.evals.forEach(addEval);
    h.ticks.forEach((t) => addTick(t, true));
    updateAll();
  });
  source.addEventListener('tick', (e) => {
    addTick(JSON.parse(e.data), false);
    updateAll();
  });
})();
