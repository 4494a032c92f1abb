"""nbconvert's ExecutePreprocessor, made safe for Deno's Jupyter kernel.

Deno's kernel (seen with 2.9.6) sometimes publishes a cell's execute_result a fraction of a
millisecond after the cell's "idle" status. nbclient stops listening at "idle" and would save the
notebook without that cell's output. This preprocessor keeps listening a little longer after "idle"
and records what still arrives for the cell. `deno task notebooks` (notebooks/run.ts) uses it.
"""

import queue

from nbclient.exceptions import CellExecutionComplete
from nbclient.util import ensure_async
from nbconvert.preprocessors import ExecutePreprocessor
from traitlets import Float


class DenoExecutePreprocessor(ExecutePreprocessor):
    """Executes a notebook and keeps the outputs a kernel sends after its idle status."""

    late_output_timeout = Float(
        0.1,
        help="Seconds to wait for more output after a cell's idle status (late ones arrive within 1 ms)",
    ).tag(config=True)

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        await super()._async_poll_output_msg(parent_msg_id, cell, cell_index)
        while True:
            try:
                msg = await ensure_async(
                    self.kc.iopub_channel.get_msg(timeout=self.late_output_timeout)
                )
            except queue.Empty:
                return
            if msg["parent_header"].get("msg_id") == parent_msg_id:
                try:
                    self.process_message(msg, cell, cell_index)
                except CellExecutionComplete:
                    pass
