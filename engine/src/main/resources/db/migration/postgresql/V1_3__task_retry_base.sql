-- How many attempts a task had made when its run's failed tasks were last retried: a retried task's
-- max attempts count from there, while its attempt numbers go on.
ALTER TABLE tasks ADD COLUMN retry_base INTEGER NOT NULL DEFAULT 0;
