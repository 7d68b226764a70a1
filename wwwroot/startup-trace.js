// Draws GET /debug/startup: each recorded phase with its step, endpoint, time and both call chains.
(async function drawStartupTrace() {
  const body = document.querySelector('#trace tbody');
  try {
    const response = await fetch('/debug/startup');
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const trace = await response.json();
    for (const phase of trace.phases) {
      const row = document.createElement('tr');
      const cells = [
        `${phase.step}/${phase.stepCount}`, phase.phase, phase.endpoint ?? '',
        phase.elapsedMs.toFixed(1), phase.dotnet, '\u00a0'.repeat(phase.depth * 2) + phase.python,
      ];
      for (const text of cells) {
        const cell = document.createElement('td');
        cell.textContent = text;
        row.appendChild(cell);
      }
      body.appendChild(row);
    }
  } catch (error) {
    body.innerHTML = '';
    const row = body.insertRow();
    row.insertCell().textContent = `Startup trace unavailable: ${error.message}`;
  }
})();
