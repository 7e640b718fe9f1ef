'use strict';
// The page reads the same public JSON API as any client; nothing here is private to the UI.
async function refresh() {
  const status = document.getElementById('status');
  try {
    const [{ series }, ready] = await Promise.all([getJson('/v1/series'), fetch('/readyz').then((r) => r.json())]);
    status.textContent = `${ready.ready ? 'ready' : 'starting'} · ${series.length} series · updated ${new Date().toLocaleTimeString()} · times in ${LOCAL_TZ}`;
    await Promise.all([renderSeries(series), renderPools(), renderDecisions()]);
    document.body.setAttribute('data-rendered', 'true');
  } catch (err) {
    status.replaceChildren(el('span', { class: 'error' }, `cannot reach the API: ${err.message}`));
  }
}
refresh();
setInterval(refresh, 30_000);
