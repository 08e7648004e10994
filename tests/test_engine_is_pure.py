"""The engine must stay free of Django: it is imported here in a clean interpreter."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_engine_imports_without_django():
    code = (
        "import sys, compliance_wizard.engine as e; "
        "from pathlib import Path; "
        "e.load_checklist(Path('checklists/whatsapp-business')); "
        "bad = [m for m in sys.modules if m == 'django' or m.startswith('django.')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    completed = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
