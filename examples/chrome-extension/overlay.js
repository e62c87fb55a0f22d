/**
 * Runs in the page (chrome.scripting.executeScript serialises it, so it
 * refers to nothing outside itself): draws the detections over every <img>
 * showing srcUrl, or the error, replacing what an earlier click drew there.
 * Boxes are in 0..1 of the image; each is a <div class="cwasm-box"> with
 * data-label and data-score.
 * @param {string} srcUrl
 * @param {{ok: boolean, detections?: Array<{label: string, score: number, box: number[]}>,
 *          info?: {variant: string, threads: number}, ms?: number, error?: string}} result
 * @returns {number} how many images were annotated
 */
export function drawDetections(srcUrl, result) {
  const images = [...document.images].filter((img) => img.currentSrc === srcUrl || img.src === srcUrl);
  for (const img of images) {
    if (img.cwasmOverlay) img.cwasmOverlay.remove();
    const rect = img.getBoundingClientRect();
    const layer = document.createElement('div');
    layer.className = 'cwasm-overlay';
    Object.assign(layer.style, {
      position: 'absolute', left: `${rect.left + window.scrollX}px`, top: `${rect.top + window.scrollY}px`,
      width: `${rect.width}px`, height: `${rect.height}px`, pointerEvents: 'none', zIndex: 2147483647,
      font: '12px/1.3 system-ui, sans-serif',
    });
    const tag = (text, style) => {
      const el = document.createElement('span');
      el.textContent = text;
      Object.assign(el.style, { position: 'absolute', padding: '1px 4px', color: '#fff', ...style });
      return el;
    };
    if (!result.ok) {
      layer.className += ' cwasm-error';
      layer.appendChild(tag(`cwasm: ${result.error}`, { left: '0', top: '0', background: '#b00020' }));
    } else {
      for (const d of result.detections) {
        const [x1, y1, x2, y2] = d.box;
        const box = document.createElement('div');
        box.className = 'cwasm-box';
        box.dataset.label = d.label;
        box.dataset.score = String(d.score);
        Object.assign(box.style, {
          position: 'absolute', boxSizing: 'border-box', border: '2px solid #00c853',
          left: `${x1 * 100}%`, top: `${y1 * 100}%`, width: `${(x2 - x1) * 100}%`, height: `${(y2 - y1) * 100}%`,
        });
        box.appendChild(tag(`${d.label} ${Math.round(d.score * 100)}%`, { left: '0', top: '0', background: '#00c853' }));
        layer.appendChild(box);
      }
      const how = `${result.detections.length} object(s), ${result.ms.toFixed(0)} ms on cwasm ` +
          `(${result.info.variant}, ${result.info.threads} thread(s))`;
      layer.appendChild(tag(how, { right: '0', bottom: '0', background: 'rgba(0,0,0,0.6)' }));
    }
    document.body.appendChild(layer);
    img.cwasmOverlay = layer;
  }
  return images.length;
}
