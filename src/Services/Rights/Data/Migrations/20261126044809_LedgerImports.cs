using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.Rights.Data.Migrations
{
    /// <inheritdoc />
    public partial class LedgerImports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ExternalId",
                table: "joint_activities",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "joint_activities",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "Live");

            migrationBuilder.AddColumn<string>(
                name: "ExternalId",
                table: "cases",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "cases",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "Live");

            migrationBuilder.CreateIndex(
                name: "IX_joint_activities_ExternalId",
                table: "joint_activities",
                column: "ExternalId",
                unique: true,
                filter: "\"ExternalId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_cases_ExternalId",
                table: "cases",
                column: "ExternalId",
                unique: true,
                filter: "\"ExternalId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_joint_activities_ExternalId",
                table: "joint_activities");

            migrationBuilder.DropIndex(
                name: "IX_cases_ExternalId",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "ExternalId",
                table: "joint_activities");

            migrationBuilder.DropColumn(
                name: "Source",
                table: "joint_activities");

            migrationBuilder.DropColumn(
                name: "ExternalId",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "Source",
                table: "cases");
        }
    }
}
