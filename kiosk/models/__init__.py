"""Models visitors drive: data in, numbers out. No Qt here (an import-linter contract checks it)."""
