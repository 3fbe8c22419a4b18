"""Generate a realistic event history: python bench/generate.py --participants N"""

from mentorbadges.demo.generator import main

if __name__ == "__main__":
    raise SystemExit(main())
