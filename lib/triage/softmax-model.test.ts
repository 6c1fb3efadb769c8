import { describe, expect, it } from "vitest";
import { predictSoftmax, trainSoftmax } from "./softmax-model";

const examples = [
  { features: ["w:yes", "w:please"], label: "yes" },
  { features: ["w:yes"], label: "yes" },
  { features: ["w:sure", "w:yes"], label: "yes" },
  { features: ["w:no", "w:thanks"], label: "no" },
  { features: ["w:no"], label: "no" },
  { features: ["w:nope", "w:no"], label: "no" },
];

describe("trainSoftmax / predictSoftmax", () => {
  it("learns separable labels and gives probabilities that sum to 1", () => {
    const model = trainSoftmax(examples, ["yes", "no"], { minCount: 1 });
    const p = predictSoftmax(model, ["w:yes"]);
    expect(p[0]).toBeGreaterThan(0.8);
    expect(p[0]! + p[1]!).toBeCloseTo(1, 10);
    expect(predictSoftmax(model, ["w:no"])[1]).toBeGreaterThan(0.8);
  });

  it("is deterministic: the same examples give the same model", () => {
    expect(trainSoftmax(examples, ["yes", "no"])).toEqual(trainSoftmax(examples, ["yes", "no"]));
  });

  it("falls back to the priors for unknown features, and drops rare ones", () => {
    const model = trainSoftmax(examples, ["yes", "no"], { minCount: 2 });
    expect(model.weights["w:please"]).toBeUndefined();
    const p = predictSoftmax(model, ["w:never-seen"]);
    expect(p[0]).toBeCloseTo(0.5, 1);
  });

  it("refuses a label it was not told about", () => {
    expect(() => trainSoftmax([{ features: ["x"], label: "maybe" }], ["yes", "no"])).toThrow(/unknown label/);
  });
});
