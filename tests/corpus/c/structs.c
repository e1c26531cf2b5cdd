/* Corpus program: struct-heavy computation (a small rigid-body simulation
 * with nested structs passed and returned by value). Built with -g, no -O. */
#include <stdio.h>

typedef struct vec3 { double x, y, z; } vec3;
typedef struct body {
  vec3 pos, vel;
  double mass;
  struct { int collisions; char tag[8]; } meta;
} body;
typedef struct world { body bodies[6]; int n; double t; } world;

static vec3 v_add(vec3 a, vec3 b) { return (vec3){a.x + b.x, a.y + b.y, a.z + b.z}; }
static vec3 v_scale(vec3 a, double s) { return (vec3){a.x * s, a.y * s, a.z * s}; }
static double v_dot(vec3 a, vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }

static void step(world *w, double dt) {
  for (int i = 0; i < w->n; i++) {
    body *b = &w->bodies[i];
    b->vel = v_add(b->vel, (vec3){0, -9.81 * dt, 0});
    b->pos = v_add(b->pos, v_scale(b->vel, dt));
    if (b->pos.y < 0) { /* bounce off the floor, losing some energy */
      b->pos.y = -b->pos.y;
      b->vel.y = -b->vel.y * 0.8;
      b->meta.collisions++;
    }
  }
  w->t += dt;
}

static double energy(const world *w) {
  double e = 0;
  for (int i = 0; i < w->n; i++) {
    const body *b = &w->bodies[i];
    e += 0.5 * b->mass * v_dot(b->vel, b->vel) + b->mass * 9.81 * b->pos.y;
  }
  return e;
}

int main(void) {
  world w = {.n = 6};
  for (int i = 0; i < w.n; i++) {
    w.bodies[i] = (body){{i, 1.0 + i, 0}, {0.5 * i, 0, -0.25 * i}, 1.0 + i, {0, "b"}};
    w.bodies[i].meta.tag[1] = (char)('0' + i);
  }
  const double e0 = energy(&w);
  for (int s = 0; s < 2000; s++) step(&w, 0.001);
  int hits = 0;
  for (int i = 0; i < w.n; i++) hits += w.bodies[i].meta.collisions;
  printf("t=%.3f energy %.3f -> %.3f, %d collisions\n", w.t, e0, energy(&w), hits);
  return 0;
}
